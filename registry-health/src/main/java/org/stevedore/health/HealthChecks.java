package org.stevedore.health;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stevedore.registry.Availability;

/**
 * A set of named checks, each run at its interval on a few daemon threads (the first run at
 * {@link #start()}). {@link #problems()} is a snapshot of the failing ones, cheap enough for
 * every request: hand this object to {@code RegistryBuilder.availability} so the API answers
 * 503 while one fails. State changes are logged once each. Close to stop the checks.
 */
public final class HealthChecks implements Availability, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HealthChecks.class);

    private final List<PeriodicCheck> checks = new ArrayList<>();
    private ScheduledExecutorService executor;
    /** The started checks, read by every gated request without locking. */
    private volatile List<PeriodicCheck> active = List.of();

    /**
     * Adds a check; before {@link #start()} only.
     *
     * @param threshold consecutive failures before it counts as failing; 0 means 1, as in distribution
     */
    public synchronized HealthChecks add(String name, HealthCheck check, Duration interval, int threshold) {
        if (executor != null) throw new IllegalStateException("checks already started");
        for (PeriodicCheck existing : checks) {
            if (existing.name().equals(name)) throw new IllegalArgumentException("duplicate health check " + name);
        }
        checks.add(new PeriodicCheck(name, check, interval, threshold));
        return this;
    }

    /** Starts running the checks; returns at once. */
    public synchronized HealthChecks start() {
        if (executor != null || checks.isEmpty()) return this;
        executor = Executors.newScheduledThreadPool(Math.min(4, checks.size()), task -> {
            Thread thread = new Thread(task, "stevedore-health");
            thread.setDaemon(true);
            return thread;
        });
        active = List.copyOf(checks);
        for (PeriodicCheck check : active) {
            executor.scheduleWithFixedDelay(() -> runLogged(check), 0, check.interval().toMillis(), TimeUnit.MILLISECONDS);
        }
        return this;
    }

    private static void runLogged(PeriodicCheck check) {
        String before = check.error();
        check.run();
        String after = check.error();
        if (before == null && after != null) LOG.warn("health check {} failing: {}", check.name(), check.detail());
        else if (before != null && after == null) LOG.info("health check {} healthy again", check.name());
    }

    /** Whether any check is configured. */
    public synchronized boolean isEmpty() {
        return checks.isEmpty();
    }

    @Override
    public Map<String, String> problems() {
        Map<String, String> failing = null;
        for (PeriodicCheck check : active) {
            String error = check.error();
            if (error != null) {
                if (failing == null) failing = new TreeMap<>();
                failing.put(check.name(), error);
            }
        }
        return failing == null ? Map.of() : failing;
    }

    @Override
    public synchronized void close() {
        if (executor != null) executor.shutdownNow();
    }
}
