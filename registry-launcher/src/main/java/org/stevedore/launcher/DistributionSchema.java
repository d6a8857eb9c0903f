package org.stevedore.launcher;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The shape of distribution 2.8's {@code Configuration} struct: which nodes are structs (fixed
 * field names) and which are free maps (S3 parameters, header names: any key goes). Nodes not
 * listed are maps. An unknown name in a {@code REGISTRY_*} variable under a struct is ignored with
 * a warning, as distribution does, and the same name in a file too ({@link ConfigNode#warnUnread});
 * both suggest the nearest field. Stevedore's own additions ({@code http.tls.selfsigned},
 * {@code proxy.upstreams}, {@code proxy.readtimeout}, {@code auth.token.builtin}, {@code limits},
 * {@code storage.maintenance.gc}, {@code policies}, {@code ui}) are listed too, so variables can set them. A new section is one
 * entry here (and its name in the root's entry).
 */
final class DistributionSchema {
    private static final Map<String, Set<String>> STRUCTS = Map.ofEntries(
            Map.entry("", Set.of("version", "log", "loglevel", "storage", "auth", "middleware", "reporting", "http",
                    "notifications", "redis", "health", "catalog", "proxy", "compatibility", "validation", "policy",
                    "limits", "policies", "ui")),
            Map.entry("limits", Set.of("manifestbytes", "uploadsessions", "uploadidle", "headerbytes", "pagesize")),
            Map.entry("policies", Set.of("immutable", "quotas", "retention", "verify")),
            Map.entry("policies.verify", Set.of("interval")),
            Map.entry("policies.retention", Set.of("interval", "dryrun", "rules")),
            Map.entry("log", Set.of("accesslog", "level", "formatter", "fields", "hooks", "reportcaller")),
            Map.entry("log.accesslog", Set.of("disabled")),
            Map.entry("http", Set.of("addr", "net", "host", "prefix", "secret", "relativeurls", "draintimeout", "tls",
                    "headers", "debug", "http2")),
            Map.entry("http.tls", Set.of("certificate", "key", "clientcas", "minimumtls", "ciphersuites",
                    "letsencrypt", "selfsigned")),
            Map.entry("http.tls.letsencrypt", Set.of("cachefile", "email", "hosts", "directoryurl")),
            Map.entry("http.tls.selfsigned", Set.of("hosts", "directory")),
            Map.entry("http.debug", Set.of("addr", "prometheus")),
            Map.entry("auth.token.builtin", Set.of("htpasswd", "expiration", "signingkey")),
            Map.entry("http.debug.prometheus", Set.of("enabled", "path")),
            Map.entry("http.http2", Set.of("disabled")),
            Map.entry("redis", Set.of("addr", "password", "db", "tls", "dialtimeout", "readtimeout", "writetimeout",
                    "pool")),
            Map.entry("redis.tls", Set.of("enabled")),
            Map.entry("redis.pool", Set.of("maxidle", "maxactive", "idletimeout")),
            Map.entry("notifications", Set.of("events", "endpoints")),
            Map.entry("notifications.events", Set.of("includereferences")),
            Map.entry("health", Set.of("file", "http", "tcp", "storagedriver")),
            Map.entry("health.storagedriver", Set.of("enabled", "interval", "threshold")),
            Map.entry("catalog", Set.of("maxentries")),
            Map.entry("proxy", Set.of("remoteurl", "username", "password", "ttl", "upstreams", "readtimeout")),
            Map.entry("compatibility", Set.of("schema1")),
            Map.entry("compatibility.schema1", Set.of("signingkeyfile", "trustkey", "enabled")),
            Map.entry("validation", Set.of("enabled", "disabled", "manifests")),
            Map.entry("validation.manifests", Set.of("urls")),
            Map.entry("validation.manifests.urls", Set.of("allow", "deny")),
            Map.entry("storage.delete", Set.of("enabled")),
            Map.entry("storage.maintenance", Set.of("uploadpurging", "readonly", "gc")),
            Map.entry("storage.maintenance.uploadpurging", Set.of("enabled", "age", "interval", "dryrun")),
            Map.entry("storage.maintenance.readonly", Set.of("enabled")),
            Map.entry("storage.maintenance.gc", Set.of("enabled", "interval", "graceperiod", "lease")),
            Map.entry("storage.cache", Set.of("blobdescriptor", "blobdescriptorsize")),
            Map.entry("storage.redirect", Set.of("disable")),
            Map.entry("storage.filesystem", Set.of("rootdirectory", "maxthreads")),
            Map.entry("auth.htpasswd", Set.of("realm", "path", "accessrules")),
            Map.entry("auth.token", Set.of("realm", "service", "issuer", "rootcertbundle", "jwks", "autoredirect",
                    "autoredirectpath", "signingalgorithms", "accessrules", "builtin")),
            Map.entry("policy", Set.of("repository")),
            Map.entry("policy.repository", Set.of("classes")),
            Map.entry("ui", Set.of("enabled", "sessionkey")));

    /**
     * Maps that also accept a bare string naming the one entry they hold: {@code storage: inmemory},
     * {@code REGISTRY_AUTH=htpasswd} (distribution's {@code Storage} and {@code Auth} types).
     */
    private static final Set<String> SELECTORS = Set.of("storage", "auth");

    private DistributionSchema() {
    }

    /** The field names of the struct at {@code path} (dotted, lower case; "" is the root), if it is one. */
    static Optional<Set<String>> structFields(String path) {
        return Optional.ofNullable(STRUCTS.get(path));
    }

    static boolean isSelector(String path) {
        return SELECTORS.contains(path);
    }

    static String child(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }
}
