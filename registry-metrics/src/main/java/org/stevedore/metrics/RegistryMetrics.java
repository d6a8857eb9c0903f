package org.stevedore.metrics;

import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.undertow.server.HttpHandler;
import java.util.function.Consumer;
import org.stevedore.http.RequestObserver;
import org.stevedore.service.GarbageCollector;
import org.stevedore.storage.StorageDriver;

/**
 * All of a registry's metrics in one Prometheus registry, and the hooks that feed them:
 *
 * <pre>{@code
 * RegistryMetrics metrics = RegistryMetrics.create();
 * Registry registry = Registry.builder()
 *         .storage(metrics.meter(FilesystemDriver.at(root)))
 *         .requestObserver(metrics.requestObserver())
 *         .garbageCollectionListener(metrics.garbageCollectionListener())
 *         .start();
 * debugServer.route("/metrics", metrics.scrapeHandler());
 * }</pre>
 *
 * Each instance has its own {@link PrometheusRegistry}, so several registries in one JVM (tests)
 * do not share counters. Thread-safe.
 */
public final class RegistryMetrics {
    private final PrometheusRegistry registry;
    private final RequestMetrics requests;
    private final StorageMetrics storage;
    private final GcMetrics gc;

    private RegistryMetrics(PrometheusRegistry registry, boolean jvm) {
        this.registry = registry;
        this.requests = new RequestMetrics(registry);
        this.storage = new StorageMetrics(registry);
        this.gc = new GcMetrics(registry);
        if (jvm) JvmMetrics.builder().register(registry);
    }

    /** A new set of metrics, JVM metrics (memory, GC, threads, classes) included. */
    public static RegistryMetrics create() {
        return new RegistryMetrics(new PrometheusRegistry(), true);
    }

    /** Metrics registered in {@code registry}, with or without the JVM's. */
    public static RegistryMetrics create(PrometheusRegistry registry, boolean jvm) {
        return new RegistryMetrics(registry, jvm);
    }

    /** Counts requests, latencies, bytes, blob and manifest operations, auth failures, open uploads. */
    public RequestObserver requestObserver() {
        return requests;
    }

    /** {@code driver} with every SPI call timed and its failures counted. */
    public StorageDriver meter(StorageDriver driver) {
        return new MeteredDriver(driver, storage);
    }

    /** Counts online garbage collection runs, blobs deleted and bytes freed. */
    public Consumer<GarbageCollector.Report> garbageCollectionListener() {
        return gc::record;
    }

    /**
     * Exports notification endpoints' counters ({@code stevedore_notifications_sent_total},
     * {@code _failed_total}, {@code _dropped_total}, {@code stevedore_notifications_pending}, each
     * labelled {@code endpoint}), read from {@code source} at each scrape. Call once.
     */
    public void notifications(java.util.function.Supplier<? extends java.util.Collection<NotificationCounts>> source) {
        NotificationMetrics.register(registry, source);
    }

    /**
     * Exports {@code stevedore_repository_used_bytes} and {@code stevedore_repository_quota_bytes}
     * labelled {@code repository}, and {@code stevedore_repository_usage_omitted}, read at each
     * scrape: {@code source} calls its argument once per repository it reports (it bounds how many).
     * Call once.
     */
    public void repositoryUsage(java.util.function.Consumer<RepositoryFigures> source,
                                java.util.function.LongSupplier omitted) {
        PolicyMetrics.usage(registry, sink -> source.accept(sink::repository), omitted);
    }

    /** Receives one repository's usage and quota. */
    public interface RepositoryFigures {
        void repository(String name, long usedBytes, long quotaBytes);
    }

    /** Exports {@code stevedore_verify_runs_total} and {@code stevedore_verify_findings}. Call once. */
    public void verify(java.util.function.LongSupplier runs, java.util.function.LongSupplier findings) {
        PolicyMetrics.verify(registry, runs, findings);
    }

    /** Serves the Prometheus text format on GET (for the debug listener). */
    public HttpHandler scrapeHandler() {
        return new ScrapeHandler(registry);
    }

    /** The underlying registry, to add metrics of one's own. */
    public PrometheusRegistry prometheusRegistry() {
        return registry;
    }
}
