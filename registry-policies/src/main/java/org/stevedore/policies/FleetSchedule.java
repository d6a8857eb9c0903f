package org.stevedore.policies;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stevedore.storage.StorageDriver;

/**
 * A daemon thread running one job every interval, on one node of the fleet at a time
 * ({@link FleetOnce}). A failed run is logged; the next runs as planned.
 */
final class FleetSchedule implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FleetSchedule.class);

    private final ScheduledExecutorService executor;

    FleetSchedule(String job, StorageDriver driver, Duration interval, Clock clock, FleetOnce.Work work) {
        executor = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "stevedore-" + job);
            thread.setDaemon(true);
            return thread;
        });
        FleetOnce fleet = new FleetOnce(driver, job, interval, clock);
        long millis = Math.max(1, interval.toMillis());
        executor.scheduleWithFixedDelay(() -> {
            try {
                fleet.run(work);
            } catch (Exception | Error e) {
                LOG.warn("{} failed; retrying in {}: {}", job, interval, e.toString());
            }
        }, millis, millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
