package org.stevedore.copy;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * How often and how long to retry: exponential back-off from {@code initial}, doubled per attempt
 * up to {@code max}, unless the registry said when to come back ({@code Retry-After}, honoured up
 * to {@code max}). Published API.
 *
 * @param attempts tries in all, the first included
 */
public record Retry(int attempts, Duration initial, Duration max) {
    public static final Retry DEFAULT = new Retry(4, Duration.ofMillis(200), Duration.ofSeconds(30));

    public Retry {
        if (attempts < 1) throw new IllegalArgumentException("attempts must be at least 1");
    }

    /** Whether a response is worth another try: rate limited, or a gateway or server that may recover. */
    static boolean retryable(int status) {
        return status == 429 || status == 502 || status == 503 || status == 504;
    }

    /** The pause before try {@code attempt + 1} (attempt counts from 1). */
    Duration pause(int attempt, Optional<HttpResponse<?>> response) {
        Optional<Duration> asked = response.flatMap(r -> r.headers().firstValue("Retry-After")).flatMap(Retry::seconds);
        Duration backOff = initial.multipliedBy(1L << Math.min(20, attempt - 1));
        Duration pause = asked.orElse(backOff);
        return pause.compareTo(max) > 0 ? max : pause;
    }

    private static Optional<Duration> seconds(String value) {
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim()))));
        } catch (NumberFormatException e) {
            return Optional.empty(); // an HTTP date: fall back to the back-off
        }
    }

    static void sleep(Duration pause) throws java.io.InterruptedIOException {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting to retry");
        }
    }
}
