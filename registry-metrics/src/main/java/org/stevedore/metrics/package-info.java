/**
 * Prometheus metrics for a registry, kept out of registry-core so embedders without metrics do
 * not carry the client library: {@link org.stevedore.metrics.RegistryMetrics} makes every metric
 * and hands out the hooks (request observer, storage driver decorator, GC listener, scrape
 * handler). Metric names follow distribution's where it has one ({@code registry_http_*},
 * {@code registry_storage_action_seconds}), so existing dashboards keep working.
 */
package org.stevedore.metrics;
