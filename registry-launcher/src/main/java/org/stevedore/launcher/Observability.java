package org.stevedore.launcher;

import io.undertow.server.HttpHandler;
import io.undertow.util.Headers;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.stevedore.health.FileCheck;
import org.stevedore.health.HealthChecks;
import org.stevedore.health.HealthHandler;
import org.stevedore.health.HttpCheck;
import org.stevedore.health.StorageDriverCheck;
import org.stevedore.health.TcpCheck;
import org.stevedore.metrics.RegistryMetrics;
import org.stevedore.registry.RegistryBuilder;
import org.stevedore.storage.StorageDriver;

/**
 * Wires what operators watch into a registry from its configuration: metrics (only when the
 * debug listener serves them, as in distribution, so they cost nothing otherwise), health checks
 * gating the API, {@code GET /} for load balancers, and the debug listener itself. Closing stops
 * the checks and the debug listener.
 */
final class Observability implements AutoCloseable {
    private final RegistryConfig config;
    private final Optional<RegistryMetrics> metrics;
    private final HealthChecks checks = new HealthChecks();
    private DebugServer debug;

    Observability(RegistryConfig config) {
        this.config = config;
        this.metrics = config.http().debug().filter(DebugConfig::prometheus).map(d -> RegistryMetrics.create());
    }

    /** The driver the registry should use: timed when metrics are on. */
    StorageDriver meter(StorageDriver driver) {
        return metrics.map(m -> m.meter(driver)).orElse(driver);
    }

    /** Exports the notifier's per-endpoint counters when metrics are on. */
    void exportNotifications(org.stevedore.notifications.Notifier notifier) {
        metrics.ifPresent(m -> m.notifications(() -> notifier.stats().stream()
                .map(s -> new org.stevedore.metrics.NotificationCounts(s.endpoint(), s.sent(), s.failed(), s.dropped(),
                        s.pending()))
                .toList()));
    }

    /** Exports the quota usage gauges when metrics are on. */
    void exportRepositoryUsage(org.stevedore.policies.RepositoryGauges gauges) {
        metrics.ifPresent(m -> m.repositoryUsage(sink -> gauges.forEach((name, figures) ->
                sink.repository(name, figures.usedBytes(), figures.quotaBytes())), gauges::omitted));
    }

    /** Exports the periodic verify's runs and findings when metrics are on. */
    void exportVerify(java.util.function.LongSupplier runs, java.util.function.LongSupplier findings) {
        metrics.ifPresent(m -> m.verify(runs, findings));
    }

    /** Adds observers, health gating and {@code GET /} to {@code builder}; starts the checks. */
    RegistryBuilder wire(RegistryBuilder builder, StorageDriver driver) {
        RegistryBuilder result = builder.extraRoute("/", Observability::alive);
        if (metrics.isPresent()) {
            result = result.requestObserver(metrics.get().requestObserver())
                    .garbageCollectionListener(metrics.get().garbageCollectionListener());
        }
        HealthConfig health = config.health();
        health.storageDriver().ifPresent(p -> checks.add(StorageDriverCheck.name(driver), new StorageDriverCheck(driver),
                p.interval(), p.threshold()));
        for (HealthConfig.FileCheck file : health.files()) {
            checks.add(file.file().toString(), new FileCheck(file.file()), file.interval(), 0);
        }
        for (HealthConfig.HttpCheck http : health.http()) {
            checks.add(http.uri().toString(), new HttpCheck(http.uri(), http.headers(), http.statusCode(), http.timeout()),
                    http.periodic().interval(), http.periodic().threshold());
        }
        for (HealthConfig.TcpCheck tcp : health.tcp()) {
            checks.add(tcp.address(), new TcpCheck(tcp.address(), tcp.timeout()),
                    tcp.periodic().interval(), tcp.periodic().threshold());
        }
        if (!checks.isEmpty()) {
            checks.start();
            result = result.availability(checks);
        }
        return result;
    }

    /** Starts the debug listener when {@code http.debug.addr} is set. */
    Optional<DebugServer> startDebug() {
        Optional<DebugConfig> settings = config.http().debug();
        if (settings.isEmpty()) return Optional.empty();
        Map<String, HttpHandler> routes = new LinkedHashMap<>();
        routes.put(DebugServer.HEALTH_PATH, new HealthHandler(checks));
        metrics.ifPresent(m -> routes.put(settings.get().prometheusPath(), m.scrapeHandler()));
        try {
            debug = DebugServer.start(settings.get().address(), routes);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot serve the debug listener on " + settings.get().address() + ": "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
        }
        return Optional.of(debug);
    }

    Optional<DebugServer> debug() {
        return Optional.ofNullable(debug);
    }

    /** distribution answers {@code GET /} with 200 and an empty body, for load balancers. */
    private static void alive(io.undertow.server.HttpServerExchange exchange) {
        exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, 0);
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-cache");
        exchange.endExchange();
    }

    @Override
    public void close() {
        if (debug != null) debug.close();
        checks.close();
    }
}
