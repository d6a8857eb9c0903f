package org.stevedore.health;

import java.time.Duration;

/**
 * A check's schedule and state, with distribution's threshold rule: the check is reported failing
 * once it failed {@code threshold} times in a row (0 or 1: at the first failure), and healthy
 * again at its first success. Healthy until its first run fails.
 */
final class PeriodicCheck {
    private final String name;
    private final HealthCheck check;
    private final Duration interval;
    private final int threshold;
    private int consecutiveFailures; // touched by the check's own runs only, never concurrently
    private volatile String error;
    private volatile String detail;

    PeriodicCheck(String name, HealthCheck check, Duration interval, int threshold) {
        if (interval.isNegative() || interval.isZero()) throw new IllegalArgumentException(name + ": interval must be positive");
        if (threshold < 0) throw new IllegalArgumentException(name + ": threshold must not be negative");
        this.name = name;
        this.check = check;
        this.interval = interval;
        this.threshold = Math.max(1, threshold);
    }

    String name() {
        return name;
    }

    Duration interval() {
        return interval;
    }

    /** The error shown to clients while failing: the check's own message; null while healthy. */
    String error() {
        return error;
    }

    /** The error for the log while failing: the message and its causes; null while healthy. */
    String detail() {
        return detail;
    }

    void run() {
        try {
            check.check();
            consecutiveFailures = 0;
            error = null;
            detail = null;
        } catch (Exception e) {
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            consecutiveFailures++;
            if (consecutiveFailures >= threshold) {
                error = e.getMessage() != null ? e.getMessage() : "check failed";
                StringBuilder causes = new StringBuilder(error);
                for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
                    causes.append(": ").append(cause);
                }
                detail = causes.toString();
            }
        }
    }
}
