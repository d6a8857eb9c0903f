package org.stevedore.notifications;

/**
 * Counters of one endpoint since the {@link Notifier} started, for metrics. Published API.
 *
 * @param endpoint the endpoint's name
 * @param sent     events the endpoint accepted (answered 2xx or 3xx)
 * @param failed   delivery attempts that failed (error status, timeout, connection refused); each
 *                 retry of one event counts again
 * @param dropped  events given up: the endpoint's queue was full, or the notifier closed before
 *                 they could be delivered
 * @param pending  events queued or being delivered now
 */
public record NotificationStats(String endpoint, long sent, long failed, long dropped, long pending) {
}
