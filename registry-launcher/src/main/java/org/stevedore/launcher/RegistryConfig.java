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
 * @param log      {@code log.*} beyond the level: formatter, access lines, static fields
 * @param health   {@code health.*}: the checks that make the registry answer 503 while failing
 * @param notifications {@code notifications.*}
 * @param proxy    {@code proxy.*}: the pull-through cache's upstreams; empty: every repository hosted
 * @param limits   Stevedore's own {@code limits.*}
 * @param policies Stevedore's own {@code policies.*}: immutable tags, retention
 * @param ui       Stevedore's own {@code ui.*}: the web UI
 */
record RegistryConfig(LogLevel logLevel, HttpConfig http, StorageConfig storage, Optional<AuthConfig> auth,
                      LogConfig log, HealthConfig health, NotificationsConfig notifications,
                      java.util.List<org.stevedore.proxy.Upstream> proxy, LimitsConfig limits,
                      org.stevedore.policies.Policies policies, UiConfig ui) {
    RegistryConfig {
        Objects.requireNonNull(policies, "policies");
        Objects.requireNonNull(ui, "ui");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(logLevel, "logLevel");
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(storage, "storage");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(log, "log");
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(notifications, "notifications");
        proxy = java.util.List.copyOf(proxy);
    }

    /** Default log output, no health checks, no notifications, every repository hosted, default limits. */
    RegistryConfig(LogLevel logLevel, HttpConfig http, StorageConfig storage, Optional<AuthConfig> auth) {
        this(logLevel, http, storage, auth, LogConfig.DEFAULT, HealthConfig.NONE, NotificationsConfig.NONE,
                java.util.List.of(), LimitsConfig.defaults(),
                org.stevedore.policies.Policies.NONE, UiConfig.DEFAULT);
    }

    /** With no file and no variables: every interface on :5000, files under ./data, open access. */
    static RegistryConfig defaults() {
        return new RegistryConfig(LogLevel.INFO, HttpConfig.defaults(), StorageConfig.defaults(), Optional.empty());
    }

    RegistryConfig withHttp(HttpConfig http) {
        return new RegistryConfig(logLevel, http, storage, auth, log, health, notifications, proxy, limits, policies, ui);
    }

    RegistryConfig withStorage(StorageConfig storage) {
        return new RegistryConfig(logLevel, http, storage, auth, log, health, notifications, proxy, limits, policies, ui);
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
