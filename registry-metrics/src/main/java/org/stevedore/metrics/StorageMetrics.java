package org.stevedore.metrics;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** Latency and failures of storage driver calls, by driver and action (the SPI method). */
final class StorageMetrics {
    private final Histogram latency;
    private final Counter errors;

    StorageMetrics(PrometheusRegistry registry) {
        latency = Histogram.builder().name("registry_storage_action_seconds")
                .help("storage driver call latency by driver and action")
                .labelNames("driver", "action").classicOnly()
                .classicUpperBounds(0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                        0.5, 1, 2.5, 5, 10)
                .withoutExemplars().register(registry);
        errors = Counter.builder().name("stevedore_storage_errors_total")
                .help("storage driver calls that failed (a missing file is not a failure), by driver and action")
                .labelNames("driver", "action").withoutExemplars().register(registry);
    }

    /** The data points of one driver's action, looked up once so each call costs no label lookup. */
    Action action(String driver, String action) {
        return new Action(latency.labelValues(driver, action), errors.labelValues(driver, action));
    }

    /** One action's latency histogram and error counter. */
    record Action(DistributionDataPoint latency, CounterDataPoint errors) {
        void observe(long startNanos) {
            latency.observe((System.nanoTime() - startNanos) / 1e9);
        }
    }
}
