package org.stevedore.metrics;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Collection;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * Notification endpoints' counters, read from their source at each scrape (callback metrics):
 * the notifier keeps the counts, so nothing is counted twice or goes stale.
 */
final class NotificationMetrics {
    private NotificationMetrics() {
    }

    static void register(PrometheusRegistry registry, Supplier<? extends Collection<NotificationCounts>> source) {
        counter(registry, source, "stevedore_notifications_sent_total", "events a notification endpoint accepted",
                NotificationCounts::sent);
        counter(registry, source, "stevedore_notifications_failed_total",
                "failed deliveries to a notification endpoint (each retry counts)", NotificationCounts::failed);
        counter(registry, source, "stevedore_notifications_dropped_total",
                "events given up for a notification endpoint (queue full or closing)", NotificationCounts::dropped);
        GaugeWithCallback.builder().name("stevedore_notifications_pending")
                .help("events queued or being delivered to a notification endpoint").labelNames("endpoint")
                .callback(callback -> {
                    for (NotificationCounts counts : source.get()) callback.call(counts.pending(), counts.endpoint());
                })
                .register(registry);
    }

    private static void counter(PrometheusRegistry registry, Supplier<? extends Collection<NotificationCounts>> source,
                                String name, String help, ToLongFunction<NotificationCounts> value) {
        CounterWithCallback.builder().name(name).help(help).labelNames("endpoint")
                .callback(callback -> {
                    for (NotificationCounts counts : source.get()) {
                        callback.call(value.applyAsLong(counts), counts.endpoint());
                    }
                })
                .register(registry);
    }
}
