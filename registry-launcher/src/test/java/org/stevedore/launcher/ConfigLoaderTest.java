package org.stevedore.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.stevedore.auth.token.SigningAlgorithms;
import org.stevedore.tls.TlsVersion;

/** distribution's config.yml and REGISTRY_* rules, case by case: what is read, what is refused, what is warned. */
class ConfigLoaderTest {
    @TempDir
    Path temp;

    private static Arguments ok(String name, String yaml, Map<String, String> env,
                                Function<RegistryConfig, Object> actual, Object expected) {
        return Arguments.of(name, yaml, env, actual, expected);
    }

    static Stream<Arguments> readCases() {
        return Stream.of(
                ok("no file, no variables: defaults", null, Map.of(), c -> c, RegistryConfig.defaults()),
                ok("tutorial's auth variables, in lexical order whatever the map order", null,
                        reversed(Map.of("REGISTRY_AUTH", "htpasswd",
                                "REGISTRY_AUTH_HTPASSWD_REALM", "Registry Realm",
                                "REGISTRY_AUTH_HTPASSWD_PATH", "/auth/htpasswd")),
                        RegistryConfig::auth,
                        Optional.of(new AuthConfig.Htpasswd("Registry Realm", Path.of("/auth/htpasswd")))),
                ok("REGISTRY_AUTH=htpasswd replaces the file's auth section", "version: 0.1\nauth:\n  token:\n"
                                + "    realm: r\n", Map.of("REGISTRY_AUTH", "htpasswd",
                                "REGISTRY_AUTH_HTPASSWD_REALM", "x", "REGISTRY_AUTH_HTPASSWD_PATH", "/p"),
                        RegistryConfig::auth, Optional.of(new AuthConfig.Htpasswd("x", Path.of("/p")))),
                ok("REGISTRY_HTTP_ADDR", null, Map.of("REGISTRY_HTTP_ADDR", "127.0.0.1:6000"),
                        c -> c.http().address(), new ListenAddress("127.0.0.1", 6000)),
                ok("REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY without a file", null,
                        Map.of("REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY", "/srv/registry"),
                        c -> c.storage().driver(), new StorageConfig.Driver.Filesystem(Path.of("/srv/registry"))),
                ok("REGISTRY_STORAGE_DELETE_ENABLED alone keeps the default root", null,
                        Map.of("REGISTRY_STORAGE_DELETE_ENABLED", "true"),
                        c -> List.of(c.storage().deleteEnabled(), c.storage().driver()),
                        List.of(true, new StorageConfig.Driver.Filesystem(Path.of("./data")))),
                ok("delete is off by default, as in distribution", "version: 0.1\nstorage:\n  inmemory:\n", Map.of(),
                        c -> c.storage().deleteEnabled(), false),
                ok("variables override the file, case-insensitively", "version: 0.1\nstorage:\n  filesystem:\n"
                                + "    rootdirectory: /from/file\n", Map.of("REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY", "/env"),
                        c -> c.storage().driver(), new StorageConfig.Driver.Filesystem(Path.of("/env"))),
                ok("REGISTRY_STORAGE=inmemory selects the driver, replacing the section",
                        "version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: /x\n  delete:\n    enabled: true\n",
                        Map.of("REGISTRY_STORAGE", "inmemory"),
                        c -> List.of(c.storage().driver(), c.storage().deleteEnabled()),
                        List.of(new StorageConfig.Driver.InMemory(), false)),
                ok("storage as a bare string in the file", "version: 0.1\nstorage: inmemory\n", Map.of(),
                        c -> c.storage().driver(), new StorageConfig.Driver.InMemory()),
                ok("filesystem without rootdirectory uses distribution's root", "version: 0.1\nstorage:\n  filesystem:\n",
                        Map.of(), c -> c.storage().driver(), new StorageConfig.Driver.Filesystem(Path.of("/var/lib/registry"))),
                ok("maintenance.readonly.enabled", null, Map.of("REGISTRY_STORAGE_MAINTENANCE_READONLY_ENABLED", "yes"),
                        c -> c.storage().readOnly(), true),
                ok("values are YAML: a list", null, Map.of("REGISTRY_HTTP_HEADERS_X-TEST", "[a, b]"),
                        c -> c.http().headers(), Map.of("x-test", List.of("a", "b"))),
                ok("an existing key keeps its spelling", "version: 0.1\nhttp:\n  headers:\n    X-Frame-Options: [deny]\n",
                        Map.of("REGISTRY_HTTP_HEADERS_X-FRAME-OPTIONS", "[sameorigin]"),
                        c -> c.http().headers(), Map.of("X-Frame-Options", List.of("sameorigin"))),
                ok("numbers stay as written in strings", null, Map.of("REGISTRY_AUTH", "htpasswd",
                                "REGISTRY_AUTH_HTPASSWD_REALM", "1.10", "REGISTRY_AUTH_HTPASSWD_PATH", "/p"),
                        c -> ((AuthConfig.Htpasswd) c.auth().orElseThrow()).realm(), "1.10"),
                ok("TLS files, client CAs and minimum version", "version: 0.1\nhttp:\n  tls:\n    certificate: /c.pem\n"
                                + "    key: /k.pem\n    clientcas: [/ca1.pem, /ca2.pem]\n",
                        Map.of("REGISTRY_HTTP_TLS_MINIMUMTLS", "tls1.3"), c -> c.http().tls(),
                        Optional.of(new TlsConfig(Optional.of(Path.of("/c.pem")), Optional.of(Path.of("/k.pem")),
                                List.of(Path.of("/ca1.pem"), Path.of("/ca2.pem")), TlsVersion.TLS_1_3, List.of(),
                                Optional.empty()))),
                ok("self-signed TLS from variables", null, Map.of("REGISTRY_HTTP_TLS_SELFSIGNED_HOSTS", "[registry.local, 10.0.0.5]",
                                "REGISTRY_HTTP_TLS_SELFSIGNED_DIRECTORY", "/etc/stevedore/tls"),
                        c -> c.http().tls().map(t -> List.of(t.selfSignedHosts(), t.selfSignedDir())),
                        Optional.of(List.of(List.of("registry.local", "10.0.0.5"), Optional.of(Path.of("/etc/stevedore/tls"))))),
                ok("an empty tls section means plain HTTP", "version: 0.1\nhttp:\n  tls:\n    minimumtls: tls1.2\n",
                        Map.of(), c -> c.http().tls(), Optional.empty()),
                ok("draintimeout in Go's notation", "version: 0.1\nhttp:\n  draintimeout: 1m30s\n", Map.of(),
                        c -> c.http().drainTimeout(), Duration.ofSeconds(90)),
                ok("http.host is an absolute URL", "version: 0.1\nhttp:\n  host: https://registry.example.com:5000\n",
                        Map.of(), c -> c.http().host().map(Object::toString), Optional.of("https://registry.example.com:5000")),
                ok("log.level wins over the deprecated loglevel", "version: 0.1\nloglevel: error\nlog:\n  level: debug\n",
                        Map.of(), RegistryConfig::logLevel, RegistryConfig.LogLevel.DEBUG),
                ok("debug listener and Prometheus from variables", null, Map.of("REGISTRY_HTTP_DEBUG_ADDR", "127.0.0.1:5001",
                                "REGISTRY_HTTP_DEBUG_PROMETHEUS_ENABLED", "true", "REGISTRY_HTTP_DEBUG_PROMETHEUS_PATH", "/m"),
                        c -> c.http().debug(), Optional.of(new DebugConfig(ListenAddress.parse("127.0.0.1:5001"), true, "/m"))),
                ok("debug listener without Prometheus, default path", "version: 0.1\nhttp:\n  debug:\n    addr: :5001\n",
                        Map.of(), c -> c.http().debug(), Optional.of(new DebugConfig(ListenAddress.parse(":5001"), false,
                                "/metrics"))),
                ok("log formatter, access lines and fields from variables", null, Map.of("REGISTRY_LOG_FORMATTER", "json",
                                "REGISTRY_LOG_ACCESSLOG_DISABLED", "true", "REGISTRY_LOG_FIELDS_SERVICE", "registry"),
                        RegistryConfig::log, new LogConfig(LogConfig.Formatter.JSON, true, Map.of("service", "registry"))),
                ok("health checks as in distribution's reference", "version: 0.1\nhealth:\n  storagedriver:\n"
                                + "    enabled: true\n    interval: 10s\n    threshold: 3\n  file:\n    - file: /path/to/checked/file\n"
                                + "      interval: 10s\n  http:\n    - uri: http://server.to.check/must/return/200\n"
                                + "      headers:\n        Authorization: [Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==]\n"
                                + "      statuscode: 200\n      timeout: 3s\n      interval: 10s\n      threshold: 3\n"
                                + "  tcp:\n    - addr: redis-server.domain.com:6379\n      timeout: 3s\n      interval: 10s\n"
                                + "      threshold: 3\n",
                        Map.of("REGISTRY_HEALTH_STORAGEDRIVER_INTERVAL", "2s"), RegistryConfig::health,
                        new HealthConfig(Optional.of(new HealthConfig.Periodic(Duration.ofSeconds(2), 3)),
                                List.of(new HealthConfig.FileCheck(Path.of("/path/to/checked/file"), Duration.ofSeconds(10))),
                                List.of(new HealthConfig.HttpCheck(java.net.URI.create("http://server.to.check/must/return/200"),
                                        Map.of("Authorization", List.of("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==")), 200,
                                        Duration.ofSeconds(3), new HealthConfig.Periodic(Duration.ofSeconds(10), 3))),
                                List.of(new HealthConfig.TcpCheck("redis-server.domain.com:6379", Duration.ofSeconds(3),
                                        new HealthConfig.Periodic(Duration.ofSeconds(10), 3))))),
                ok("token auth", "version: 0.1\nauth:\n  token:\n    realm: https://auth.example.com/token\n"
                                + "    service: registry\n    issuer: auth\n    rootcertbundle: /certs/bundle.pem\n",
                        Map.of(), RegistryConfig::auth, Optional.of(new AuthConfig.Token("https://auth.example.com/token",
                                "registry", "auth", Path.of("/certs/bundle.pem"), false, Optional.empty()))),
                ok("token auth with a JWK Set instead of a bundle, from the environment", null,
                        Map.of("REGISTRY_AUTH", "token", "REGISTRY_AUTH_TOKEN_REALM", "https://auth.example.com/token",
                                "REGISTRY_AUTH_TOKEN_SERVICE", "registry", "REGISTRY_AUTH_TOKEN_ISSUER", "auth",
                                "REGISTRY_AUTH_TOKEN_JWKS", "/certs/jwks.json"),
                        RegistryConfig::auth, Optional.of(new AuthConfig.Token("https://auth.example.com/token",
                                "registry", "auth", Optional.empty(), false, Optional.of(Path.of("/certs/jwks.json")),
                                Optional.empty(), Optional.empty(), SigningAlgorithms.DEFAULT))),
                ok("token auth with a bundle and a JWK Set", "version: 0.1\nauth:\n  token:\n"
                                + "    realm: https://auth.example.com/token\n    service: registry\n    issuer: auth\n"
                                + "    rootcertbundle: /certs/bundle.pem\n    jwks: /certs/jwks.json\n",
                        Map.of(), RegistryConfig::auth, Optional.of(new AuthConfig.Token("https://auth.example.com/token",
                                "registry", "auth", Path.of("/certs/bundle.pem"), false,
                                Optional.of(Path.of("/certs/jwks.json"))))),
                ok("token auth with distribution 3's signingalgorithms", "version: 0.1\nauth:\n  token:\n"
                                + "    realm: https://auth.example.com/token\n    service: registry\n    issuer: auth\n"
                                + "    jwks: /certs/jwks.json\n    signingalgorithms:\n      - RS256\n      - ES384\n",
                        Map.of(), c -> ((AuthConfig.Token) c.auth().orElseThrow()).signingAlgorithms(),
                        SigningAlgorithms.parse(List.of("RS256", "ES384"))),
                ok("signingalgorithms from the environment, as a YAML list", "version: 0.1\nauth:\n  token:\n"
                                + "    realm: https://auth.example.com/token\n    service: registry\n    issuer: auth\n"
                                + "    jwks: /certs/jwks.json\n    signingalgorithms: [RS256]\n",
                        Map.of("REGISTRY_AUTH_TOKEN_SIGNINGALGORITHMS", "[PS256, EdDSA]"),
                        c -> ((AuthConfig.Token) c.auth().orElseThrow()).signingAlgorithms(),
                        SigningAlgorithms.parse(List.of("PS256", "EdDSA"))),
                ok("an empty signingalgorithms list means the default, as in distribution", "version: 0.1\nauth:\n"
                                + "  token:\n    realm: https://auth.example.com/token\n    service: registry\n"
                                + "    issuer: auth\n    jwks: /certs/jwks.json\n    signingalgorithms: []\n",
                        Map.of(), c -> ((AuthConfig.Token) c.auth().orElseThrow()).signingAlgorithms(),
                        SigningAlgorithms.DEFAULT),
                ok("with builtin an empty signingalgorithms list (the default) may stay", null,
                        Map.of("REGISTRY_AUTH", "token", "REGISTRY_AUTH_TOKEN_REALM", "http://127.0.0.1:5000/token",
                                "REGISTRY_AUTH_TOKEN_SERVICE", "reg", "REGISTRY_AUTH_TOKEN_ISSUER", "stevedore",
                                "REGISTRY_AUTH_TOKEN_BUILTIN_HTPASSWD", "/auth/htpasswd",
                                "REGISTRY_AUTH_TOKEN_SIGNINGALGORITHMS", "[]"),
                        c -> ((AuthConfig.Token) c.auth().orElseThrow()).signingAlgorithms(), SigningAlgorithms.DEFAULT),
                ok("htpasswd with Stevedore's accessrules, from the environment", null,
                        Map.of("REGISTRY_AUTH", "htpasswd", "REGISTRY_AUTH_HTPASSWD_REALM", "r",
                                "REGISTRY_AUTH_HTPASSWD_PATH", "/auth/htpasswd",
                                "REGISTRY_AUTH_HTPASSWD_ACCESSRULES", "/auth/rules.yml"),
                        RegistryConfig::auth, Optional.of(new AuthConfig.Htpasswd("r", Path.of("/auth/htpasswd"),
                                Optional.of(Path.of("/auth/rules.yml"))))),
                ok("built-in token server, from the file", "version: 0.1\nauth:\n  token:\n"
                                + "    realm: https://reg.example.com/auth/token\n    service: reg\n    issuer: stevedore\n"
                                + "    accessrules: /auth/rules.yml\n    builtin:\n      htpasswd: /auth/htpasswd\n"
                                + "      expiration: 15m\n", Map.of(), RegistryConfig::auth,
                        Optional.of(new AuthConfig.Token("https://reg.example.com/auth/token", "reg", "stevedore",
                                Optional.empty(), false, Optional.empty(), Optional.of(Path.of("/auth/rules.yml")),
                                Optional.of(new AuthConfig.BuiltInToken(Path.of("/auth/htpasswd"), Duration.ofMinutes(15))),
                                SigningAlgorithms.DEFAULT))),
                ok("built-in token server, from the environment, default expiration", null,
                        Map.of("REGISTRY_AUTH", "token", "REGISTRY_AUTH_TOKEN_REALM", "http://127.0.0.1:5000/token",
                                "REGISTRY_AUTH_TOKEN_SERVICE", "reg", "REGISTRY_AUTH_TOKEN_ISSUER", "stevedore",
                                "REGISTRY_AUTH_TOKEN_BUILTIN_HTPASSWD", "/auth/htpasswd"),
                        RegistryConfig::auth, Optional.of(new AuthConfig.Token("http://127.0.0.1:5000/token", "reg",
                                "stevedore", Optional.empty(), false, Optional.empty(), Optional.empty(),
                                Optional.of(new AuthConfig.BuiltInToken(Path.of("/auth/htpasswd"), Duration.ofMinutes(5))),
                                SigningAlgorithms.DEFAULT))),
                ok("s3 parameters are handed over as written", "version: 0.1\nstorage:\n  s3:\n    region: us-east-1\n"
                                + "    bucket: b\n    secure: false\n", Map.of("REGISTRY_STORAGE_S3_CHUNKSIZE", "5242880"),
                        c -> c.storage().driver(), new StorageConfig.Driver.S3(orderedMap("region", "us-east-1",
                                "bucket", "b", "secure", false, "chunksize", "5242880"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("readCases")
    void reads(String name, String yaml, Map<String, String> env, Function<RegistryConfig, Object> actual,
               Object expected) throws IOException {
        assertEquals(expected, actual.apply(load(yaml, env).config()));
    }

    static Stream<Arguments> invalidCases() {
        return Stream.of(
                Arguments.of(null, Map.of("REGISTRY_STORAGE_DELETE_ENABLED", "maybe"),
                        "storage.delete.enabled (from REGISTRY_STORAGE_DELETE_ENABLED): expected true or false, got 'maybe'"),
                Arguments.of(null, Map.of("REGISTRY_HTTP_ADDR", "nonsense"),
                        "http.addr (from REGISTRY_HTTP_ADDR): 'nonsense': expected HOST:PORT"),
                Arguments.of(null, Map.of("REGISTRY_STORAGE_DELETE", "{enabled: 7}"),
                        "storage.delete.enabled (from REGISTRY_STORAGE_DELETE): expected true or false, got '7'"),
                Arguments.of("version: 0.2\n", Map.of(), "version: '0.2' is not supported"),
                Arguments.of("storage: inmemory\n", Map.of(), "version: missing"),
                Arguments.of(null, Map.of("REGISTRY_LOG_FORMATTER", "xml"),
                        "log.formatter (from REGISTRY_LOG_FORMATTER): 'xml' is not one of text, json, logstash"),
                Arguments.of(null, Map.of("REGISTRY_HEALTH_TCP", "[{addr: nohost}]"),
                        "health.tcp[0].addr (from REGISTRY_HEALTH_TCP): 'nohost' is not host:port"),
                Arguments.of("version: 0.1\nhealth:\n  file:\n    - interval: 1s\n", Map.of(),
                        "health.file[0].file: missing"),
                Arguments.of(null, Map.of("REGISTRY_HTTP_DEBUG_ADDR", "nonsense"),
                        "http.debug.addr (from REGISTRY_HTTP_DEBUG_ADDR): 'nonsense': expected HOST:PORT"),
                Arguments.of("version: 0.1\nlog:\n  level: loud\n", Map.of(),
                        "log.level: 'loud' is not one of error, warn, info, debug"),
                Arguments.of("version: 0.1\nhttp:\n  tls:\n    certificate: /c\n    key: /k\n    minimumtls: tls9\n",
                        Map.of(), "http.tls.minimumtls: 'tls9' is not one of tls1.2, tls1.3"),
                Arguments.of("version: 0.1\nhttp:\n  tls:\n    certificate: /c\n", Map.of(),
                        "http.tls.key: missing; required with certificate"),
                Arguments.of("version: 0.1\nhttp:\n  tls:\n    letsencrypt:\n      email: a@b.c\n", Map.of(),
                        "http.tls.letsencrypt: Let's Encrypt is not supported"),
                Arguments.of("version: 0.1\nstorage:\n  inmemory:\n  filesystem:\n", Map.of(),
                        "storage: exactly one storage driver must be configured, found inmemory, filesystem"),
                Arguments.of("version: 0.1\nstorage:\n  azure:\n    accountname: a\n", Map.of(),
                        "storage.azure: this storage driver is not supported by Stevedore"),
                Arguments.of("version: 0.1\nauth:\n  htpasswd:\n    realm: r\n", Map.of(),
                        "auth.htpasswd.path: missing; it is required"),
                Arguments.of(null, Map.of("REGISTRY_AUTH", "token", "REGISTRY_AUTH_TOKEN_SERVICE", "s", "REGISTRY_AUTH_TOKEN_ISSUER", "i", "REGISTRY_AUTH_TOKEN_REALM", "https://r.example/t"),
                        "auth.token.rootcertbundle (from REGISTRY_AUTH): missing; it is required (or use builtin"),
                Arguments.of(null, Map.of("REGISTRY_AUTH", "token", "REGISTRY_AUTH_TOKEN_SERVICE", "s", "REGISTRY_AUTH_TOKEN_ISSUER", "i", "REGISTRY_AUTH_TOKEN_REALM", "https://r.example/t",
                        "REGISTRY_AUTH_TOKEN_ROOTCERTBUNDLE", "/b.pem", "REGISTRY_AUTH_TOKEN_BUILTIN_HTPASSWD", "/h"),
                        "auth.token.rootcertbundle (from REGISTRY_AUTH_TOKEN_ROOTCERTBUNDLE): not used with builtin"),
                Arguments.of(null, Map.of("REGISTRY_AUTH", "token", "REGISTRY_AUTH_TOKEN_SERVICE", "s", "REGISTRY_AUTH_TOKEN_ISSUER", "i", "REGISTRY_AUTH_TOKEN_REALM", "https://r.example/t",
                        "REGISTRY_AUTH_TOKEN_JWKS", "/jwks.json", "REGISTRY_AUTH_TOKEN_BUILTIN_HTPASSWD", "/h"),
                        "auth.token.jwks (from REGISTRY_AUTH_TOKEN_JWKS): not used with builtin"),
                Arguments.of(null, Map.of("REGISTRY_AUTH", "token", "REGISTRY_AUTH_TOKEN_SERVICE", "s", "REGISTRY_AUTH_TOKEN_ISSUER", "i", "REGISTRY_AUTH_TOKEN_REALM", "https://r.example/v2/token",
                        "REGISTRY_AUTH_TOKEN_BUILTIN_HTPASSWD", "/h"),
                        "auth.token.realm (from REGISTRY_AUTH_TOKEN_REALM): with builtin the registry serves"),
                Arguments.of(null, Map.of("REGISTRY_AUTH", "token", "REGISTRY_AUTH_TOKEN_SERVICE", "s", "REGISTRY_AUTH_TOKEN_ISSUER", "i", "REGISTRY_AUTH_TOKEN_REALM", "token-server",
                        "REGISTRY_AUTH_TOKEN_BUILTIN_HTPASSWD", "/h"),
                        "auth.token.realm (from REGISTRY_AUTH_TOKEN_REALM): 'token-server' is not an absolute http"),
                Arguments.of(null, Map.of("REGISTRY_AUTH", "token", "REGISTRY_AUTH_TOKEN_SERVICE", "s", "REGISTRY_AUTH_TOKEN_ISSUER", "i", "REGISTRY_AUTH_TOKEN_REALM", "https://r.example/t",
                        "REGISTRY_AUTH_TOKEN_BUILTIN_EXPIRATION", "5m"),
                        "auth.token.builtin.htpasswd (from REGISTRY_AUTH): missing; it is required"),
                Arguments.of(null, Map.of("REGISTRY_AUTH", "token", "REGISTRY_AUTH_TOKEN_SERVICE", "s", "REGISTRY_AUTH_TOKEN_ISSUER", "i", "REGISTRY_AUTH_TOKEN_REALM", "https://r.example/t",
                        "REGISTRY_AUTH_TOKEN_BUILTIN_HTPASSWD", "/h", "REGISTRY_AUTH_TOKEN_BUILTIN_EXPIRATION", "0s"),
                        "auth.token.builtin.expiration (from REGISTRY_AUTH_TOKEN_BUILTIN_EXPIRATION): must be positive"),
                Arguments.of("version: 0.1\nauth:\n  token:\n    realm: https://r.example/t\n    service: s\n"
                                + "    issuer: i\n    jwks: /jwks.json\n    signingalgorithms: [RS256, HS256]\n", Map.of(),
                        "auth.token.signingalgorithms: 'HS256' is an HMAC algorithm, which Stevedore does not verify"),
                Arguments.of(null, Map.of("REGISTRY_AUTH", "token", "REGISTRY_AUTH_TOKEN_SERVICE", "s", "REGISTRY_AUTH_TOKEN_ISSUER", "i", "REGISTRY_AUTH_TOKEN_REALM", "https://r.example/t",
                        "REGISTRY_AUTH_TOKEN_JWKS", "/jwks.json", "REGISTRY_AUTH_TOKEN_SIGNINGALGORITHMS", "[RS265]"),
                        "auth.token.signingalgorithms (from REGISTRY_AUTH_TOKEN_SIGNINGALGORITHMS): 'RS265' is not a"
                                + " signing algorithm Stevedore verifies; use some of RS256, RS384"),
                Arguments.of("version: 0.1\nauth:\n  token:\n    realm: https://r.example/t\n    service: s\n"
                                + "    issuer: i\n    jwks: /jwks.json\n    signingalgorithms: {rs256: true}\n", Map.of(),
                        "auth.token.signingalgorithms: expected a list, got a map"),
                Arguments.of(null, Map.of("REGISTRY_AUTH", "token", "REGISTRY_AUTH_TOKEN_SERVICE", "s", "REGISTRY_AUTH_TOKEN_ISSUER", "i", "REGISTRY_AUTH_TOKEN_REALM", "https://r.example/t",
                        "REGISTRY_AUTH_TOKEN_SIGNINGALGORITHMS", "[ES256]", "REGISTRY_AUTH_TOKEN_BUILTIN_HTPASSWD", "/h"),
                        "auth.token.signingalgorithms (from REGISTRY_AUTH_TOKEN_SIGNINGALGORITHMS): not used with builtin"),
                Arguments.of("version: 0.1\nauth:\n  silly:\n    realm: r\n", Map.of(),
                        "auth.silly: this access controller is not supported by Stevedore"),
                Arguments.of(null, Map.of("REGISTRY_HTTP_HOST", "registry.example.com"),
                        "http.host (from REGISTRY_HTTP_HOST): 'registry.example.com' is not an absolute http or https URL"),
                Arguments.of("version: 0.1\nhttp:\n  draintimeout: soon\n", Map.of(),
                        "http.draintimeout: 'soon' is not a duration"),
                Arguments.of("version: 0.1\nhttp:\n  headers:\n    X-A: {b: c}\n", Map.of(),
                        "http.headers.X-A: expected a list, got a map"),
                Arguments.of("version: 0.1\nhttp: [1, 2]\n", Map.of(), "http: expected a map of settings, got a list"),
                Arguments.of("version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: /x\n",
                        Map.of("REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY_DEEPER", "1"),
                        "environment variable REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY_DEEPER: cannot set a key inside"
                                + " storage.filesystem.rootdirectory"),
                Arguments.of("version: 0.1\nstorage: [\n", Map.of(), "is not valid YAML"));
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("invalidCases")
    void refusesNamingTheKey(String yaml, Map<String, String> env, String message) {
        ConfigException e = assertThrows(ConfigException.class, () -> load(yaml, env));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    static Stream<Arguments> warningCases() {
        return Stream.of(
                Arguments.of("version: 0.1\nredis:\n  addr: localhost:6379\n", Map.of(),
                        "redis is not supported by Stevedore; ignored"),
                Arguments.of(null, Map.of("REGISTRY_HTTP_BOGUS", "1"), "ignoring unrecognized environment variable REGISTRY_HTTP_BOGUS"),
                Arguments.of(null, Map.of("REGISTRY_HTTP_DEBUG_PROMETHEUS_ENABLED", "true"),
                        "http.debug.prometheus: needs http.debug.addr; metrics are not served"),
                Arguments.of(null, Map.of("REGISTRY_HEALTH_STORAGEDRIVER_SPEED", "3"),
                        "ignoring unrecognized environment variable REGISTRY_HEALTH_STORAGEDRIVER_SPEED"),
                Arguments.of("version: 0.1\nstorage:\n  inmemory:\n  maintenance:\n    uploadpurging:\n      enabled: true\n"
                        + "      age: 168h\n      interval: 24h\n      dryrun: false\n      speed: 3\n", Map.of(),
                        "storage.maintenance.uploadpurging.speed is not supported by Stevedore; ignored"),
                Arguments.of("version: 0.1\nhttp:\n  tls:\n    certificate: /c\n    key: /k\n    minimumtls: tls1.0\n",
                        Map.of(), "http.tls.minimumtls: tls1.0 is too old and not offered; using tls1.2"),
                Arguments.of("version: 0.1\nstorage:\n  cache:\n    blobdescriptor: redis\n", Map.of(),
                        "storage.cache.blobdescriptor: redis is not supported; no cache is used"),
                Arguments.of(null, Map.of("REGISTRY_AUTH", "token", "REGISTRY_AUTH_TOKEN_REALM", "https://r.example/t",
                        "REGISTRY_AUTH_TOKEN_SERVICE", "s", "REGISTRY_AUTH_TOKEN_ISSUER", "i",
                        "REGISTRY_AUTH_TOKEN_BUILTIN_HTPASSWD", "/h", "REGISTRY_AUTH_TOKEN_BUILTIN_KEY", "/k"),
                        "ignoring unrecognized environment variable REGISTRY_AUTH_TOKEN_BUILTIN_KEY"),
                Arguments.of(null, Map.of("REGISTRY_LOG_HOOKS", "[]"), "log.hooks (from REGISTRY_LOG_HOOKS) is not supported"));
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("warningCases")
    void warnsAboutWhatItIgnores(String yaml, Map<String, String> env, String warning) throws IOException {
        List<String> warnings = load(yaml, env).warnings();
        assertTrue(warnings.contains(warning) || warnings.stream().anyMatch(w -> w.startsWith(warning)),
                warnings.toString());
    }

    @Test
    void debianShippedConfigIsReadWithoutWarnings() {
        ConfigLoader.Loaded loaded = ConfigLoader.load(Optional.of(Path.of("/etc/docker/registry/config.yml")), Map.of());
        assertEquals(List.of(), loaded.warnings());
        assertEquals(Map.of("service", "registry"), loaded.config().log().fields());
        assertEquals(Optional.of(new HealthConfig.Periodic(Duration.ofSeconds(10), 3)),
                loaded.config().health().storageDriver());
        assertEquals(new StorageConfig.Driver.Filesystem(Path.of("/var/lib/docker-registry")),
                loaded.config().storage().driver());
    }

    @Test
    void maintenanceSettingsDefaultAsDistributionAndOnlineCollectionIsOptIn() throws IOException {
        StorageConfig defaults = load("version: 0.1\nstorage:\n  inmemory:\n", Map.of()).config().storage();
        assertEquals(StorageConfig.UploadPurging.DEFAULT, defaults.uploadPurging());
        assertEquals(Optional.empty(), defaults.garbageCollection());

        StorageConfig set = load("version: 0.1\nstorage:\n  inmemory:\n  maintenance:\n    uploadpurging:\n"
                + "      enabled: true\n      age: 2h\n      interval: 30m\n      dryrun: true\n",
                Map.of("REGISTRY_STORAGE_MAINTENANCE_GC_ENABLED", "true",
                        "REGISTRY_STORAGE_MAINTENANCE_GC_GRACEPERIOD", "10m",
                        "REGISTRY_STORAGE_MAINTENANCE_GC_LEASE", "90s")).config().storage();
        assertEquals(new StorageConfig.UploadPurging(true, java.time.Duration.ofHours(2),
                java.time.Duration.ofMinutes(30), true), set.uploadPurging());
        assertEquals(Optional.of(new StorageConfig.GarbageCollection(java.time.Duration.ofHours(1),
                java.time.Duration.ofMinutes(10), java.time.Duration.ofSeconds(90))), set.garbageCollection());
        assertEquals(StorageConfig.GarbageCollection.DEFAULT_LEASE, load("version: 0.1\nstorage:\n  inmemory:\n"
                + "  maintenance:\n    gc:\n      enabled: true\n", Map.of()).config().storage().garbageCollection()
                .orElseThrow().lease());
        ConfigException zero = assertThrows(ConfigException.class, () -> load("version: 0.1\nstorage:\n  inmemory:\n"
                + "  maintenance:\n    gc:\n      enabled: true\n      lease: 0s\n", Map.of()));
        assertTrue(zero.getMessage().contains("lease"), zero.getMessage());
    }

    @Test
    void configurationPathVariableNamesTheFile() throws IOException {
        Path file = write("version: 0.1\nhttp:\n  addr: 127.0.0.1:7000\n");
        RegistryConfig config = ConfigLoader.load(Optional.empty(),
                Map.of("REGISTRY_CONFIGURATION_PATH", file.toString())).config();
        assertEquals(new ListenAddress("127.0.0.1", 7000), config.http().address());
    }

    @Test
    void missingFileIsNamed() {
        Path missing = temp.resolve("nope.yml");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(Optional.of(missing), Map.of()));
        assertEquals("cannot read configuration file " + missing + ": no such file", e.getMessage());
    }

    private ConfigLoader.Loaded load(String yaml, Map<String, String> env) throws IOException {
        return ConfigLoader.load(yaml == null ? Optional.empty() : Optional.of(write(yaml)), env);
    }

    private Path write(String yaml) throws IOException {
        Path file = Files.createTempFile(temp, "config", ".yml");
        Files.writeString(file, yaml);
        return file;
    }

    /** The same entries, iterated in reverse name order, so the loader must sort them itself. */
    private static Map<String, String> reversed(Map<String, String> map) {
        Map<String, String> result = new LinkedHashMap<>();
        map.keySet().stream().sorted(java.util.Comparator.reverseOrder()).forEach(k -> result.put(k, map.get(k)));
        return result;
    }

    private static Map<String, Object> orderedMap(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        return map;
    }
}
