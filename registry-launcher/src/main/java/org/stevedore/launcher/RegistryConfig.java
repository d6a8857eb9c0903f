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
 * @param limits   Stevedore's own {@code limits.*}
 */
record RegistryConfig(LogLevel logLevel, HttpConfig http, StorageConfig storage, Optional<AuthConfig> auth,
                      LimitsConfig limits) {
    RegistryConfig {
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(logLevel, "logLevel");
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(storage, "storage");
        Objects.requireNonNull(auth, "auth");
    }

    /** With no file and no variables: every interface on :5000, files under ./data, open access. */
    static RegistryConfig defaults() {
        return new RegistryConfig(LogLevel.INFO, HttpConfig.defaults(), StorageConfig.defaults(), Optional.empty(),
                LimitsConfig.defaults());
    }

    /** With the default limits. */
    RegistryConfig(LogLevel logLevel, HttpConfig http, StorageConfig storage, Optional<AuthConfig> auth) {
        this(logLevel, http, storage, auth, LimitsConfig.defaults());
    }

    RegistryConfig withHttp(HttpConfig http) {
        return new RegistryConfig(logLevel, http, storage, auth, limits);
    }

    RegistryConfig withStorage(StorageConfig storage) {
        return new RegistryConfig(logLevel, http, storage, auth, limits);
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
