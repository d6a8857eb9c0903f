package org.stevedore.registry;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stevedore.service.RegistryService;

/**
 * Background work of a running registry, on one daemon thread: online garbage collection and
 * upload purging, each at its interval when enabled, never in read-only mode (nothing may
 * change then, as in distribution). Collection is coordinated across nodes sharing the storage
 * ({@link OnlineCollection}). A failed run is logged and the next one runs as planned.
 */
final class Maintenance implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Maintenance.class);
    private final ScheduledExecutorService executor;

    private Maintenance(ScheduledExecutorService executor) {
        this.executor = executor;
    }

    static Maintenance start(RegistryService service, RegistrySettings settings) {
        if (settings.readOnly || (settings.gcInterval == null && settings.purgeAge == null)) {
            return new Maintenance(null);
        }
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "stevedore-maintenance");
            thread.setDaemon(true);
            return thread;
        });
        if (settings.gcInterval != null) {
            schedule(executor, settings.gcInterval, "garbage collection", new OnlineCollection(service, settings)::tick);
        }
        if (settings.purgeAge != null) {
            Duration age = settings.purgeAge;
            boolean dryRun = settings.purgeDryRun;
            schedule(executor, settings.purgeInterval, "upload purging", () -> {
                int purged = service.uploadPurger().purge(age, dryRun, LOG::info);
                if (purged > 0) LOG.info("upload purging: {} sessions {}", purged, dryRun ? "eligible" : "deleted");
            });
        }
        return new Maintenance(executor);
    }

    /** A job that may fail with I/O. */
    private interface Job {
        void run() throws Exception;
    }

    private static void schedule(ScheduledExecutorService executor, Duration interval, String what, Job job) {
        long millis = Math.max(1, interval.toMillis());
        executor.scheduleWithFixedDelay(() -> {
            try {
                job.run();
            } catch (Exception e) {
                LOG.warn("{} failed; retrying in {}: {}", what, interval, e.toString());
            }
        }, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Stops scheduling and waits briefly for a running job; a job cut short leaves storage consistent. */
    @Override
    public void close() {
        if (executor == null) return;
        executor.shutdownNow();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
