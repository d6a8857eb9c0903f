package org.stevedore.launcher;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads what operators watch a registry with: {@code log} (formatter, access lines, fields),
 * {@code http.debug} (the debug listener and Prometheus) and {@code health} (checks), with
 * distribution's defaults. Part of {@link ConfigReader}, kept apart to keep each file small.
 */
final class ObservabilityConfigReader {
    private ObservabilityConfigReader() {
    }

    /** {@code log} beyond {@code level}, which {@link ConfigReader} reads. */
    static LogConfig log(ConfigNode log, List<String> warnings) {
        LogConfig.Formatter formatter = log.parsed("formatter", ObservabilityConfigReader::formatter)
                .orElse(LogConfig.Formatter.TEXT);
        boolean accessLogDisabled = false;
        Optional<ConfigNode> access = log.section("accesslog");
        if (access.isPresent()) {
            accessLogDisabled = access.get().bool("disabled").orElse(false);
            access.get().warnUnread(warnings);
        }
        Map<String, String> fields = new LinkedHashMap<>();
        log.section("fields").ifPresent(section -> {
            for (String key : section.keys()) section.string(key).ifPresent(value -> fields.put(key, value));
        });
        return new LogConfig(formatter, accessLogDisabled, fields);
    }

    private static LogConfig.Formatter formatter(String text) {
        switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "":
            case "text":
                return LogConfig.Formatter.TEXT;
            case "json":
            case "logstash": // distribution's logstash formatter is JSON with @timestamp; JSON lines serve the same shippers
                return LogConfig.Formatter.JSON;
            default:
                throw new IllegalArgumentException("'" + text + "' is not one of text, json, logstash");
        }
    }

    /** {@code http.debug}: no listener without an address, as in distribution. */
    static Optional<DebugConfig> debug(ConfigNode debug, List<String> warnings) {
        Optional<ListenAddress> address = debug.string("addr").filter(a -> !a.isBlank())
                .map(a -> debug.parsed("addr", ListenAddress::parse).orElseThrow());
        boolean prometheus = false;
        String path = DebugConfig.DEFAULT_PROMETHEUS_PATH;
        Optional<ConfigNode> section = debug.section("prometheus");
        if (section.isPresent()) {
            prometheus = section.get().bool("enabled").orElse(false);
            path = section.get().string("path").filter(p -> !p.isBlank()).orElse(path);
            if (!path.startsWith("/") || path.equals(DebugServer.HEALTH_PATH)) {
                throw section.get().invalid("path", "'" + path + "' must start with / and not be " + DebugServer.HEALTH_PATH);
            }
            section.get().warnUnread(warnings);
        }
        debug.warnUnread(warnings);
        if (address.isEmpty()) {
            if (prometheus) warnings.add(debug.keyPath("prometheus") + ": needs http.debug.addr; metrics are not served");
            return Optional.empty();
        }
        return Optional.of(new DebugConfig(address.get(), prometheus, path));
    }

    static HealthConfig health(ConfigNode health, List<String> warnings) {
        Optional<HealthConfig.Periodic> storage = Optional.empty();
        Optional<ConfigNode> driver = health.section("storagedriver");
        if (driver.isPresent()) {
            boolean enabled = driver.get().bool("enabled").orElse(false);
            HealthConfig.Periodic periodic = periodic(driver.get());
            driver.get().warnUnread(warnings);
            if (enabled) storage = Optional.of(periodic);
        }
        List<HealthConfig.FileCheck> files = new ArrayList<>();
        for (ConfigNode file : health.sections("file")) {
            String path = file.string("file").filter(f -> !f.isBlank())
                    .orElseThrow(() -> file.invalid("file", "missing; name the file to watch"));
            files.add(new HealthConfig.FileCheck(Path.of(path), interval(file)));
            file.warnUnread(warnings);
        }
        List<HealthConfig.HttpCheck> http = new ArrayList<>();
        for (ConfigNode check : health.sections("http")) {
            URI uri = check.parsed("uri", ObservabilityConfigReader::httpUri)
                    .orElseThrow(() -> check.invalid("uri", "missing; give the URL to check"));
            Map<String, List<String>> headers = new LinkedHashMap<>();
            check.section("headers").ifPresent(section -> {
                for (String name : section.keys()) headers.put(name, section.strings(name));
            });
            int status = check.integer("statuscode").orElse(200);
            if (status < 100 || status > 599) throw check.invalid("statuscode", status + " is not an HTTP status");
            http.add(new HealthConfig.HttpCheck(uri, headers, status, timeout(check), periodic(check)));
            check.warnUnread(warnings);
        }
        List<HealthConfig.TcpCheck> tcp = new ArrayList<>();
        for (ConfigNode check : health.sections("tcp")) {
            String addr = check.string("addr").filter(a -> !a.isBlank())
                    .orElseThrow(() -> check.invalid("addr", "missing; give host:port"));
            try {
                new org.stevedore.health.TcpCheck(addr, HealthConfig.DEFAULT_TIMEOUT);
            } catch (IllegalArgumentException e) {
                throw check.invalid("addr", e.getMessage());
            }
            tcp.add(new HealthConfig.TcpCheck(addr, timeout(check), periodic(check)));
            check.warnUnread(warnings);
        }
        health.warnUnread(warnings);
        return new HealthConfig(storage, files, http, tcp);
    }

    private static HealthConfig.Periodic periodic(ConfigNode node) {
        Duration interval = interval(node);
        int threshold = node.integer("threshold").orElse(0);
        if (threshold < 0) throw node.invalid("threshold", "must not be negative");
        return new HealthConfig.Periodic(interval, threshold);
    }

    private static Duration interval(ConfigNode node) {
        Duration interval = node.parsed("interval", GoDuration::parse).orElse(HealthConfig.DEFAULT_INTERVAL);
        if (interval.isNegative()) throw node.invalid("interval", "must be positive");
        return interval.isZero() ? HealthConfig.DEFAULT_INTERVAL : interval; // 0 means the default, as in distribution
    }

    private static Duration timeout(ConfigNode node) {
        Duration timeout = node.parsed("timeout", GoDuration::parse).orElse(HealthConfig.DEFAULT_TIMEOUT);
        if (timeout.isNegative()) throw node.invalid("timeout", "must be positive");
        return timeout.isZero() ? HealthConfig.DEFAULT_TIMEOUT : timeout;
    }

    private static URI httpUri(String text) {
        URI uri = URI.create(text.trim());
        if (uri.getScheme() == null || uri.getHost() == null
                || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
            throw new IllegalArgumentException("'" + text + "' is not an absolute http or https URL");
        }
        return uri;
    }
}
