package org.stevedore.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.stevedore.service.GarbageCollector;

/** Online garbage collection: runs, blobs deleted, bytes freed. */
final class GcMetrics {
    private final Counter runs;
    private final Counter blobsDeleted;
    private final Counter bytesFreed;

    GcMetrics(PrometheusRegistry registry) {
        runs = Counter.builder().name("stevedore_gc_runs_total").help("completed online garbage collection runs")
                .withoutExemplars().register(registry);
        blobsDeleted = Counter.builder().name("stevedore_gc_blobs_deleted_total")
                .help("blobs deleted by online garbage collection").withoutExemplars().register(registry);
        bytesFreed = Counter.builder().name("stevedore_gc_freed_bytes_total")
                .help("bytes freed by online garbage collection").withoutExemplars().register(registry);
    }

    void record(GarbageCollector.Report report) {
        runs.inc();
        blobsDeleted.inc(report.blobsDeleted());
        bytesFreed.inc(report.bytesFreed());
    }
}
