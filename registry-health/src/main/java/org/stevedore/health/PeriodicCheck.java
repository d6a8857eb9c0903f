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

    /** The error shown while failing; null while healthy. */
    String error() {
        return error;
    }

    void run() {
        try {
            check.check();
            consecutiveFailures = 0;
            error = null;
        } catch (Exception e) {
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            consecutiveFailures++;
            if (consecutiveFailures >= threshold) {
                error = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            }
        }
    }
}
