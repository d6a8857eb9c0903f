package org.stevedore.launcher;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.stevedore.auth.token.SigningAlgorithms;
import org.stevedore.tls.TlsVersion;

/**
 * Turns the configuration tree (file plus environment) into a {@link RegistryConfig}: checks
 * every value Stevedore uses, failing with the key's name, and warns about each key it does not
 * implement. Section by section, in the order of distribution's configuration reference.
 */
final class ConfigReader {
    private static final Set<String> STORAGE_SETTINGS = Set.of("delete", "maintenance", "cache", "redirect");
    private static final Set<String> SUPPORTED_DRIVERS = Set.of("filesystem", "inmemory", "s3");

    private final List<String> warnings;

    private ConfigReader(List<String> warnings) {
        this.warnings = warnings;
    }

    /**
     * @param requireVersion whether {@code version} must be present (it must in a file)
     * @param warnings       receives one line per ignored key
     */
    static RegistryConfig read(ConfigNode root, boolean requireVersion, List<String> warnings) {
        return new ConfigReader(warnings).read(root, requireVersion);
    }

    private RegistryConfig read(ConfigNode root, boolean requireVersion) {
        Optional<String> version = root.string("version");
        if (version.isEmpty() && requireVersion) {
            throw root.invalid("version", "missing; distribution's configuration format is version: 0.1");
        }
        if (version.isPresent() && !version.get().trim().equals("0.1")) {
            throw root.invalid("version", "'" + version.get() + "' is not supported; the format is version 0.1");
        }
        LogConfig[] logOutput = {LogConfig.DEFAULT};
        RegistryConfig.LogLevel level = readLog(root, logOutput);
        HttpConfig http = root.section("http").map(this::readHttp).orElse(HttpConfig.defaults());
        StorageConfig storage = root.has("storage") ? readStorage(root.section("storage").orElseThrow())
                : StorageConfig.defaults();
        Optional<AuthConfig> auth = root.section("auth").flatMap(this::readAuth);
        NotificationsConfig notifications = root.section("notifications")
                .map(section -> NotificationsReader.read(section, warnings)).orElse(NotificationsConfig.NONE);
        HealthConfig health = root.section("health").map(h -> ObservabilityConfigReader.health(h, warnings))
                .orElse(HealthConfig.NONE);
        var proxy = root.section("proxy").map(p -> ProxyConfigReader.read(p, warnings)).orElse(List.of());
        LimitsConfig limits = root.section("limits").map(this::readLimits).orElse(LimitsConfig.defaults());
        var policies = root.section("policies").map(p -> PoliciesConfigReader.read(p, warnings))
                .orElse(org.stevedore.policies.Policies.NONE);
        UiConfig ui = root.section("ui").map(u -> UiConfig.read(u, warnings)).orElse(UiConfig.DEFAULT);
        root.warnUnread(warnings);
        return new RegistryConfig(level, http, storage, auth, logOutput[0], health, notifications, proxy, limits,
                policies, ui);
    }

    private RegistryConfig.LogLevel readLog(ConfigNode root, LogConfig[] logOutput) {
        // log.level wins over the deprecated top-level loglevel, as in distribution.
        Optional<RegistryConfig.LogLevel> deprecated = root.parsed("loglevel", RegistryConfig.LogLevel::parse);
        Optional<ConfigNode> log = root.section("log");
        Optional<RegistryConfig.LogLevel> level = Optional.empty();
        if (log.isPresent()) {
            level = log.get().parsed("level", RegistryConfig.LogLevel::parse);
            logOutput[0] = ObservabilityConfigReader.log(log.get(), warnings);
            log.get().warnUnread(warnings);
        }
        return level.or(() -> deprecated).orElse(RegistryConfig.LogLevel.INFO);
    }

    private HttpConfig readHttp(ConfigNode http) {
        HttpConfig defaults = HttpConfig.defaults();
        ListenAddress address = http.parsed("addr", ListenAddress::parse).orElse(defaults.address());
        http.string("net").ifPresent(net -> {
            if (!net.isEmpty() && !net.equals("tcp")) throw http.invalid("net", "'" + net + "': only tcp is supported");
        });
        Optional<URI> host = http.parsed("host", ConfigReader::absoluteUrl);
        http.accept("secret"); // distribution signs upload state with it; Stevedore keeps that state server-side
        http.bool("relativeurls"); // Stevedore's Location headers are always relative
        var drain = http.parsed("draintimeout", GoDuration::parse).orElse(HttpConfig.DEFAULT_DRAIN_TIMEOUT);
        Map<String, List<String>> headers = http.section("headers").map(ConfigNode::httpHeaders).orElse(Map.of());
        Optional<TlsConfig> tls = http.section("tls").flatMap(this::readTls);
        Optional<DebugConfig> debug = http.section("debug").flatMap(d -> ObservabilityConfigReader.debug(d, warnings));
        http.section("http2").ifPresent(http2 -> {
            http2.bool("disabled"); // Stevedore serves HTTP/1.1
            http2.warnUnread(warnings);
        });
        http.warnUnread(warnings);
        return new HttpConfig(address, host, headers, tls, debug, drain);
    }

    private Optional<TlsConfig> readTls(ConfigNode tls) {
        Optional<Path> certificate = tls.path("certificate");
        Optional<Path> key = tls.path("key");
        if (certificate.isPresent() && key.isEmpty()) throw tls.invalid("key", "missing; required with certificate");
        if (key.isPresent() && certificate.isEmpty()) throw tls.invalid("certificate", "missing; required with key");
        List<Path> clientCas = new ArrayList<>();
        for (String ca : tls.strings("clientcas")) {
            try {
                clientCas.add(Path.of(ca));
            } catch (java.nio.file.InvalidPathException e) {
                throw tls.invalid("clientcas", "not a valid path: " + e.getReason());
            }
        }
        TlsVersion minimum = tls.parsed("minimumtls", this::tlsVersion).orElse(TlsVersion.TLS_1_2);
        if (tls.has("letsencrypt")) {
            throw tls.invalid("letsencrypt", "Let's Encrypt is not supported by Stevedore; give certificate and key,"
                    + " or selfsigned.hosts");
        }
        List<String> hosts = List.of();
        Optional<Path> directory = Optional.empty();
        Optional<ConfigNode> selfSigned = tls.section("selfsigned");
        if (selfSigned.isPresent()) {
            hosts = selfSigned.get().strings("hosts");
            directory = selfSigned.get().path("directory");
            selfSigned.get().warnUnread(warnings);
            if (hosts.isEmpty() && certificate.isEmpty()) {
                throw selfSigned.get().invalid("hosts", "missing; name the hosts the certificate is for");
            }
        }
        tls.warnUnread(warnings);
        if (certificate.isEmpty() && hosts.isEmpty()) {
            if (!clientCas.isEmpty()) throw tls.invalid("clientcas", "needs certificate and key (or selfsigned.hosts)");
            return Optional.empty(); // as in distribution: TLS is on when a certificate is given
        }
        return Optional.of(new TlsConfig(certificate, key, clientCas, minimum, hosts, directory));
    }

    private TlsVersion tlsVersion(String text) {
        switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "tls1.0":
            case "tls1.1":
                warnings.add("http.tls.minimumtls: " + text + " is too old and not offered; using tls1.2");
                return TlsVersion.TLS_1_2;
            case "tls1.2":
                return TlsVersion.TLS_1_2;
            case "tls1.3":
                return TlsVersion.TLS_1_3;
            default:
                throw new IllegalArgumentException("'" + text + "' is not one of tls1.2, tls1.3");
        }
    }

    private StorageConfig readStorage(ConfigNode storage) {
        List<String> drivers = new ArrayList<>();
        for (String key : storage.keys()) {
            if (STORAGE_SETTINGS.contains(key)) continue;
            Optional<String> setting = KeySuggestion.nearest(key, STORAGE_SETTINGS);
            if (setting.isPresent() && !SUPPORTED_DRIVERS.contains(key)) {
                // storage.delet: a slip of a setting's name, not a second driver
                storage.accept(key);
                warnings.add(storage.keyPath(key) + " is not a known key; did you mean " + storage.keyPath(setting.get())
                        + "? Ignored");
                continue;
            }
            drivers.add(key);
        }
        if (drivers.size() > 1) {
            throw new ConfigException("storage: exactly one storage driver must be configured, found "
                    + String.join(", ", drivers));
        }
        // distribution insists on a driver; Stevedore falls back to its default root, so that
        // e.g. REGISTRY_STORAGE_DELETE_ENABLED=true alone works as it does with no configuration.
        StorageConfig.Driver driver = drivers.isEmpty() ? StorageConfig.defaults().driver()
                : readDriver(storage, drivers.get(0));
        boolean delete = storage.section("delete").map(d -> bool(d, "enabled", false)).orElse(false);
        boolean readOnly = false;
        StorageConfig.UploadPurging purging = StorageConfig.UploadPurging.DEFAULT;
        Optional<StorageConfig.GarbageCollection> gc = Optional.empty();
        Optional<ConfigNode> maintenance = storage.section("maintenance");
        if (maintenance.isPresent()) {
            readOnly = maintenance.get().section("readonly").map(r -> bool(r, "enabled", false)).orElse(false);
            purging = maintenance.get().section("uploadpurging").map(this::readUploadPurging).orElse(purging);
            gc = maintenance.get().section("gc").flatMap(this::readGarbageCollection);
            maintenance.get().warnUnread(warnings);
        }
        storage.section("cache").ifPresent(this::readCache);
        boolean redirectDisabled = storage.section("redirect").map(r -> bool(r, "disable", false)).orElse(false);
        storage.warnUnread(warnings);
        return new StorageConfig(driver, delete, readOnly, redirectDisabled, purging, gc);
    }

    private StorageConfig.Driver readDriver(ConfigNode storage, String type) {
        switch (type) {
            case "filesystem": {
                Optional<ConfigNode> fs = storage.section(type);
                Path root = fs.flatMap(f -> f.path("rootdirectory"))
                        .orElse(StorageConfig.DISTRIBUTION_ROOT);
                fs.ifPresent(f -> {
                    f.integer("maxthreads"); // a Go concurrency limit; Stevedore's worker pool bounds this
                    f.warnUnread(warnings);
                });
                return new StorageConfig.Driver.Filesystem(root);
            }
            case "inmemory":
                storage.section(type).ifPresent(m -> m.warnUnread(warnings));
                return new StorageConfig.Driver.InMemory();
            case "s3":
                return new StorageConfig.Driver.S3(storage.section(type).map(ConfigNode::raw).orElse(Map.of()));
            default:
                throw storage.invalid(type, "this storage driver is not supported by Stevedore (use one of "
                        + String.join(", ", new java.util.TreeSet<>(SUPPORTED_DRIVERS)) + ")");
        }
    }

    private StorageConfig.UploadPurging readUploadPurging(ConfigNode purging) {
        StorageConfig.UploadPurging defaults = StorageConfig.UploadPurging.DEFAULT;
        boolean enabled = bool(purging, "enabled", true);
        java.time.Duration age = purging.parsed("age", GoDuration::parse).orElse(defaults.age());
        java.time.Duration interval = purging.parsed("interval", GoDuration::parse).orElse(defaults.interval());
        boolean dryRun = purging.bool("dryrun").orElse(false);
        purging.warnUnread(warnings);
        if (enabled && (interval.isZero() || interval.isNegative())) {
            throw purging.invalid("interval", "must be positive");
        }
        return new StorageConfig.UploadPurging(enabled, age, interval, dryRun);
    }

    /** Stevedore's {@code storage.maintenance.gc}: enabled (false), interval (1h), graceperiod (1h), lease (5m). */
    private Optional<StorageConfig.GarbageCollection> readGarbageCollection(ConfigNode gc) {
        boolean enabled = bool(gc, "enabled", false);
        java.time.Duration interval = gc.parsed("interval", GoDuration::parse).orElse(java.time.Duration.ofHours(1));
        java.time.Duration grace = gc.parsed("graceperiod", GoDuration::parse).orElse(java.time.Duration.ofHours(1));
        java.time.Duration lease = gc.parsed("lease", GoDuration::parse).orElse(StorageConfig.GarbageCollection.DEFAULT_LEASE);
        gc.warnUnread(warnings);
        if (interval.isZero() || interval.isNegative()) throw gc.invalid("interval", "must be positive");
        if (lease.isZero() || lease.isNegative()) throw gc.invalid("lease", "must be positive");
        return enabled ? Optional.of(new StorageConfig.GarbageCollection(interval, grace, lease)) : Optional.empty();
    }

    private void readCache(ConfigNode cache) {
        cache.string("blobdescriptor").ifPresent(kind -> {
            switch (kind) {
                case "inmemory":
                    break; // Stevedore reads descriptors from storage directly; nothing to cache
                case "redis":
                    warnings.add(cache.keyPath("blobdescriptor") + ": redis is not supported; no cache is used");
                    break;
                default:
                    throw cache.invalid("blobdescriptor", "'" + kind + "' is not one of inmemory, redis");
            }
        });
        cache.integer("blobdescriptorsize");
        cache.warnUnread(warnings);
    }

    private Optional<AuthConfig> readAuth(ConfigNode auth) {
        List<String> types = auth.keys();
        if (types.isEmpty()) return Optional.empty();
        if (types.size() > 1) {
            throw new ConfigException("auth: exactly one access controller must be configured, found "
                    + String.join(", ", types));
        }
        String type = types.get(0);
        ConfigNode section = auth.section(type)
                .orElseGet(() -> new ConfigNode(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode(),
                        auth.keyPath(type), Map.of()));
        AuthConfig config;
        // accessrules and builtin are Stevedore's keys; distribution warns about and ignores them.
        Optional<Path> accessRules = section.path("accessrules");
        switch (type) {
            case "htpasswd":
                config = new AuthConfig.Htpasswd(required(section, "realm"), requiredPath(section, "path"),
                        accessRules);
                break;
            case "token":
                config = readToken(section, accessRules);
                break;
            default:
                throw auth.invalid(type, "this access controller is not supported by Stevedore (use htpasswd or token)");
        }
        section.warnUnread(warnings);
        return Optional.of(config);
    }

    private AuthConfig.Token readToken(ConfigNode section, Optional<Path> accessRules) {
        String realm = required(section, "realm");
        Optional<AuthConfig.BuiltInToken> builtIn = section.section("builtin").map(this::readBuiltInToken);
        Optional<Path> bundle = section.path("rootcertbundle");
        Optional<Path> jwks = section.path("jwks");
        List<String> algorithmNames = section.strings("signingalgorithms");
        SigningAlgorithms algorithms = signingAlgorithms(section, algorithmNames);
        if (builtIn.isPresent()) {
            for (String key : new String[] {"rootcertbundle", "jwks"}) {
                if (section.path(key).isPresent()) {
                    throw section.invalid(key, "not used with builtin, whose tokens the registry signs itself;"
                            + " remove one of them");
                }
            }
            // The built-in server signs every token itself (ES256, its own key) and trusts no other
            // key, so a list could only repeat ES256 or lock every client out: refused like the
            // external server's keys above (an empty list means the default, so it may stay).
            if (!algorithmNames.isEmpty()) {
                throw section.invalid("signingalgorithms", "not used with builtin, whose tokens the registry signs"
                        + " itself (ES256); remove one of them");
            }
            URI uri = section.parsed("realm", ConfigReader::absoluteUrl).orElseThrow();
            String path = uri.getPath();
            if (path == null || path.length() < 2 || path.equals("/v2") || path.startsWith("/v2/")) {
                throw section.invalid("realm", "with builtin the registry serves the realm's path itself, so it needs"
                        + " one outside /v2/, e.g. https://registry.example.com/auth/token");
            }
        } else if (bundle.isEmpty() && jwks.isEmpty()) {
            // As distribution 3: either file, or both, gives the keys that sign tokens.
            throw section.invalid("rootcertbundle", "missing; it is required (or use builtin for Stevedore's own"
                    + " token server) unless jwks names a JSON Web Key Set file");
        }
        return new AuthConfig.Token(realm, required(section, "service"), required(section, "issuer"), bundle,
                bool(section, "autoredirect", false), jwks, accessRules, builtIn, algorithms);
    }

    /** distribution 3's {@code signingalgorithms}: a list of JWS alg names; absent or empty: the default. */
    private static SigningAlgorithms signingAlgorithms(ConfigNode section, List<String> names) {
        try {
            return SigningAlgorithms.parse(names);
        } catch (IllegalArgumentException e) {
            throw section.invalid("signingalgorithms", e.getMessage());
        }
    }

    /** Stevedore's {@code auth.token.builtin}: htpasswd (required), expiration (5m), signingkey (none). */
    private AuthConfig.BuiltInToken readBuiltInToken(ConfigNode builtIn) {
        Path htpasswd = requiredPath(builtIn, "htpasswd");
        java.time.Duration expiration = builtIn.parsed("expiration", GoDuration::parse)
                .orElse(java.time.Duration.ofMinutes(5));
        Optional<Path> signingKey = builtIn.string("signingkey").map(String::trim).filter(s -> !s.isEmpty()).map(Path::of);
        builtIn.warnUnread(warnings);
        if (expiration.isZero() || expiration.isNegative()) throw builtIn.invalid("expiration", "must be positive");
        return new AuthConfig.BuiltInToken(htpasswd, expiration, signingKey);
    }

    /** Stevedore's {@code limits}: every bound positive; {@code uploadidle} 0 turns the idle timeout off. */
    private LimitsConfig readLimits(ConfigNode limits) {
        LimitsConfig defaults = LimitsConfig.defaults();
        int manifestBytes = positive(limits, "manifestbytes", defaults.manifestBytes(), 1);
        int uploadSessions = positive(limits, "uploadsessions", defaults.uploadSessions(), 1);
        java.time.Duration idle = limits.parsed("uploadidle", GoDuration::parse).orElse(defaults.uploadIdle());
        if (idle.isNegative()) throw limits.invalid("uploadidle", "must not be negative");
        int headerBytes = positive(limits, "headerbytes", defaults.headerBytes(), LimitsConfig.MIN_HEADER_BYTES);
        int pageSize = positive(limits, "pagesize", defaults.pageSize(), 1);
        limits.warnUnread(warnings);
        return new LimitsConfig(manifestBytes, uploadSessions, idle, headerBytes, pageSize);
    }

    private static int positive(ConfigNode node, String key, int fallback, int minimum) {
        int value = node.integer(key).orElse(fallback);
        if (value < minimum) throw node.invalid(key, "must be at least " + minimum + ", got " + value);
        return value;
    }

    private static String required(ConfigNode node, String key) {
        return node.string(key).filter(s -> !s.isBlank())
                .orElseThrow(() -> node.invalid(key, "missing; it is required"));
    }

    private static Path requiredPath(ConfigNode node, String key) {
        return node.path(key).orElseThrow(() -> node.invalid(key, "missing; it is required"));
    }

    private static boolean bool(ConfigNode node, String key, boolean fallback) {
        return node.bool(key).orElse(fallback);
    }

    private static URI absoluteUrl(String text) {
        try {
            URI uri = new URI(text);
            if (uri.getScheme() == null || uri.getHost() == null
                    || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                throw new IllegalArgumentException("'" + text + "' is not an absolute http or https URL");
            }
            return uri;
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("'" + text + "' is not a URL: " + e.getReason());
        }
    }
}
