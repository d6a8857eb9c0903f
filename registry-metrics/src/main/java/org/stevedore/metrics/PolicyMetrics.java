package org.stevedore.metrics;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Governance figures read from their source at each scrape: repository usage against quotas (the
 * source bounds how many repositories it reports), and what the periodic verify found.
 */
final class PolicyMetrics {
    private PolicyMetrics() {
    }

    /** One repository's figures, as a usage source reports them. */
    interface UsageSink {
        void repository(String name, long usedBytes, long quotaBytes);
    }

    static void usage(PrometheusRegistry registry, Consumer<UsageSink> source, LongSupplier omitted) {
        GaugeWithCallback.builder().name("stevedore_repository_used_bytes")
                .help("bytes a repository with a quota uses (its ledger: may over-count briefly)")
                .labelNames("repository")
                .callback(callback -> source.accept((name, used, quota) -> callback.call(used, name)))
                .register(registry);
        GaugeWithCallback.builder().name("stevedore_repository_quota_bytes")
                .help("the quota of a repository").labelNames("repository")
                .callback(callback -> source.accept((name, used, quota) -> callback.call(quota, name)))
                .register(registry);
        GaugeWithCallback.builder().name("stevedore_repository_usage_omitted")
                .help("repositories with a quota left out of the usage gauges (label count bound)")
                .callback(callback -> callback.call(omitted.getAsLong()))
                .register(registry);
    }

    static void verify(PrometheusRegistry registry, LongSupplier runs, LongSupplier findings) {
        CounterWithCallback.builder().name("stevedore_verify_runs_total").help("completed periodic verify runs")
                .callback(callback -> callback.call(runs.getAsLong())).register(registry);
        GaugeWithCallback.builder().name("stevedore_verify_findings")
                .help("dangling and corrupt entries the last periodic verify found")
                .callback(callback -> callback.call(findings.getAsLong())).register(registry);
    }
}
