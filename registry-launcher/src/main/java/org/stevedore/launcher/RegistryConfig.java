package org.stevedore.launcher;

import java.util.Objects;
import java.util.Optional;

/**
 * distribution's {@code config.yml} as far as Stevedore uses it, after environment overrides and
 * command-line flags, validated: an instance is a configuration the server can start with.
 *
 * @param logLevel {@code log.level}
 * @param http     {@code http.*}
 * @param storage  {@code storage.*}
 * @param auth     {@code auth.*}; empty: open access
 * @param proxy    {@code proxy.*}: the pull-through cache's upstreams; empty: every repository hosted
 */
record RegistryConfig(LogLevel logLevel, HttpConfig http, StorageConfig storage, Optional<AuthConfig> auth,
                      java.util.List<org.stevedore.proxy.Upstream> proxy) {
    RegistryConfig {
        Objects.requireNonNull(logLevel, "logLevel");
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(storage, "storage");
        Objects.requireNonNull(auth, "auth");
        proxy = java.util.List.copyOf(proxy);
    }

    RegistryConfig(LogLevel logLevel, HttpConfig http, StorageConfig storage, Optional<AuthConfig> auth) {
        this(logLevel, http, storage, auth, java.util.List.of());
    }

    /** With no file and no variables: every interface on :5000, files under ./data, open access. */
    static RegistryConfig defaults() {
        return new RegistryConfig(LogLevel.INFO, HttpConfig.defaults(), StorageConfig.defaults(), Optional.empty());
    }

    RegistryConfig withHttp(HttpConfig http) {
        return new RegistryConfig(logLevel, http, storage, auth, proxy);
    }

    RegistryConfig withStorage(StorageConfig storage) {
        return new RegistryConfig(logLevel, http, storage, auth, proxy);
    }

    /** distribution's {@code log.level}: error, warn, info or debug. */
    enum LogLevel {
        ERROR, WARN, INFO, DEBUG;

        static LogLevel parse(String text) {
            try {
                return valueOf(text.trim().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + text + "' is not one of error, warn, info, debug");
            }
        }
    }
}
