package org.stevedore.launcher;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * distribution's {@code http} section.
 *
 * @param address      {@code http.addr}
 * @param host         {@code http.host}, the externally reachable URL; Stevedore answers with
 *                     relative {@code Location} headers, which work behind any host, so it is only checked
 * @param headers      {@code http.headers}: extra headers on every answer
 * @param tls          {@code http.tls}; empty: plain HTTP
 * @param debug        {@code http.debug}: the debug listener (health, metrics), if an address is set
 * @param drainTimeout {@code http.draintimeout}: how long a stop lets running requests finish
 */
record HttpConfig(ListenAddress address, Optional<URI> host, Map<String, List<String>> headers, Optional<TlsConfig> tls,
                  Optional<DebugConfig> debug, Duration drainTimeout) {
    static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(10);

    HttpConfig {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(host, "host");
        headers = Map.copyOf(headers);
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(debug, "debug");
        Objects.requireNonNull(drainTimeout, "drainTimeout");
    }

    static HttpConfig defaults() {
        return new HttpConfig(ListenAddress.parse(ListenAddress.DEFAULT), Optional.empty(), Map.of(), Optional.empty(),
                Optional.empty(), DEFAULT_DRAIN_TIMEOUT);
    }

    HttpConfig withAddress(ListenAddress address) {
        return new HttpConfig(address, host, headers, tls, debug, drainTimeout);
    }

    HttpConfig withTls(Optional<TlsConfig> tls) {
        return new HttpConfig(address, host, headers, tls, debug, drainTimeout);
    }
}
