package org.stevedore.http;

/**
 * Told about every request the API handler routed or refused, just before its response is
 * committed (so an observer's record exists before the client sees the answer). Runs on the
 * request's thread, which for the version check ({@code GET /v2/} without access control) is an
 * I/O thread: implementations are thread-safe, fast, never block and never throw.
 */
@FunctionalInterface
public interface RequestObserver {
    /** Observes nothing. */
    RequestObserver NONE = request -> {
    };

    void completed(CompletedRequest request);

    /**
     * Called once more when the exchange has completed (the response fully sent, or the
     * connection lost), with its duration and byte counts; for latency and traffic metrics. May
     * run on an I/O thread: never block. Default: nothing.
     */
    default void finished(CompletedRequest request, RequestTotals totals) {
    }
}
