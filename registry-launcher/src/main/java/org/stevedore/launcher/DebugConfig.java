package org.stevedore.launcher;

import java.util.Objects;

/**
 * distribution's {@code http.debug}: a second, small HTTP listener for operators.
 *
 * @param address         {@code http.debug.addr}
 * @param prometheus      {@code http.debug.prometheus.enabled}: serve metrics there
 * @param prometheusPath  {@code http.debug.prometheus.path}, default {@code /metrics}
 */
record DebugConfig(ListenAddress address, boolean prometheus, String prometheusPath) {
    static final String DEFAULT_PROMETHEUS_PATH = "/metrics";

    DebugConfig {
        Objects.requireNonNull(address, "address");
        if (!prometheusPath.startsWith("/") || prometheusPath.equals(DebugServer.HEALTH_PATH)) {
            throw new IllegalArgumentException("'" + prometheusPath + "' must start with / and not be "
                    + DebugServer.HEALTH_PATH);
        }
    }
}
