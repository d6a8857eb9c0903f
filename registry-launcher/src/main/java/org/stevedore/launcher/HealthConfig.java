package org.stevedore.launcher;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * distribution's {@code health} section: periodic checks; while one fails the registry answers
 * 503. Intervals default to 10 s, thresholds to 0 (the first failure counts), as in distribution.
 *
 * @param storageDriver {@code health.storagedriver}, when enabled
 * @param files         {@code health.file}: unhealthy while the file exists
 * @param http          {@code health.http}
 * @param tcp           {@code health.tcp}
 */
record HealthConfig(Optional<Periodic> storageDriver, List<FileCheck> files, List<HttpCheck> http, List<TcpCheck> tcp) {
    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(3);
    static final HealthConfig NONE = new HealthConfig(Optional.empty(), List.of(), List.of(), List.of());

    HealthConfig {
        files = List.copyOf(files);
        http = List.copyOf(http);
        tcp = List.copyOf(tcp);
    }

    /** How often a check runs and how many failures in a row make it fail. */
    record Periodic(Duration interval, int threshold) {
    }

    record FileCheck(Path file, Duration interval) {
    }

    record HttpCheck(URI uri, Map<String, List<String>> headers, int statusCode, Duration timeout, Periodic periodic) {
    }

    record TcpCheck(String address, Duration timeout, Periodic periodic) {
    }
}
