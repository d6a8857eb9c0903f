package org.stevedore.metrics;

/**
 * One notification endpoint's counters as metrics read them, so this module needs no
 * notifier: the embedder maps its notifier's statistics to these (the launcher maps
 * {@code registry-notifications}' {@code NotificationStats} field by field). Published API.
 *
 * @param endpoint the endpoint's name, the {@code endpoint} label
 * @param sent     events the endpoint accepted since the start
 * @param failed   delivery attempts that failed since the start (retries count again)
 * @param dropped  events given up since the start (queue full, or closing)
 * @param pending  events queued or being delivered now
 */
public record NotificationCounts(String endpoint, long sent, long failed, long dropped, long pending) {
}
