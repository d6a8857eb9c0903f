package org.stevedore.http;

/**
 * What one finished exchange cost, for metrics: wall time from dispatch to completion and the
 * bytes that crossed the wire in each direction (bodies only, not headers).
 *
 * @param durationNanos   from the moment the API handler took the request to exchange completion
 * @param bytesReceived   request body bytes read by the registry
 * @param bytesSent       response body bytes sent
 */
public record RequestTotals(long durationNanos, long bytesReceived, long bytesSent) {
}
