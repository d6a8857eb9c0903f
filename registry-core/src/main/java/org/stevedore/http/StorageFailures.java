package org.stevedore.http;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.HttpString;
import java.io.IOException;
import java.util.Locale;
import org.stevedore.error.ErrorCode;
import org.stevedore.storage.StorageUnavailableException;

/**
 * What a client is told when storage fails. A failure that goes away by itself (the backend
 * unreachable or throttling, {@link StorageUnavailableException}) and a full disk (it clears when
 * uploads are purged, garbage is collected or space is added, and the request itself was fine) are
 * 503 {@code UNAVAILABLE} with {@code Retry-After}, so clients back off and retry. Any other I/O
 * failure is unexpected: 500 {@code UNKNOWN}, logged with its stack trace by the caller.
 */
final class StorageFailures {
    static final HttpString RETRY_AFTER = HttpString.tryFromString("Retry-After");
    /** Seconds before retrying after an outage: backends recover or stop throttling in seconds. */
    static final int RETRY_UNAVAILABLE_SECONDS = 5;
    /** Seconds before retrying on a full disk: freeing space takes an operator or a maintenance run. */
    static final int RETRY_FULL_SECONDS = 60;

    private StorageFailures() {
    }

    /** Whether the failure, or one of its causes, is a full disk or an exhausted quota. */
    static boolean isStorageFull(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (t instanceof IOException && message != null) {
                String lower = message.toLowerCase(Locale.ROOT);
                if (lower.contains("no space left on device") || lower.contains("disk quota exceeded")) return true;
            }
            if (t.getCause() == t) break;
        }
        return false;
    }

    /** Answers 503 {@code UNAVAILABLE} with {@code Retry-After}. */
    static void writeUnavailable(HttpServerExchange exchange, int retryAfterSeconds, String detail) {
        if (!exchange.isResponseStarted()) exchange.getResponseHeaders().put(RETRY_AFTER, retryAfterSeconds);
        ErrorWriter.write(exchange, ErrorCode.UNAVAILABLE, detail);
    }
}
