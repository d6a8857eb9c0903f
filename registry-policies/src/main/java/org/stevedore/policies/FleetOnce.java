package org.stevedore.policies;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stevedore.service.CollectionLease;
import org.stevedore.storage.StorageDriver;
import org.stevedore.storage.layout.StorageLayout;

/**
 * Periodic work done by one node of the fleet per interval, coordinated as online garbage
 * collection is, through a {@link CollectionLease} of its own in storage
 * ({@code /docker/registry/v2/stevedore/<job>/leases}). The work must be safe when two nodes run
 * it at once (retention re-checks each deletion, verify only reads): the lease only spares the
 * fleet repeated work. A store without exclusive create makes every node run it.
 */
final class FleetOnce {
    private static final Logger LOG = LoggerFactory.getLogger(FleetOnce.class);

    /** The work; returns normally when done. */
    interface Work {
        void run() throws IOException;
    }

    private final String job;
    private final CollectionLease lease;
    private final Duration spacing;

    /**
     * @param interval how often the fleet should run it: a node skips when another finished
     *                 within nine tenths of it (so one node's own schedule never skips itself)
     */
    FleetOnce(StorageDriver driver, String job, Duration interval, Clock clock) {
        this.job = job;
        this.spacing = interval.multipliedBy(9).dividedBy(10);
        Duration held = interval.compareTo(Duration.ofMinutes(30)) > 0 ? interval : Duration.ofMinutes(30);
        this.lease = new CollectionLease(driver, StorageLayout.leases(job), nodeName(), held, clock);
    }

    /** Runs {@code work} unless another node runs it now or ran it lately; whether it ran. */
    boolean run(Work work) throws IOException {
        CollectionLease.Outcome outcome;
        try {
            outcome = lease.tryAcquire(spacing);
        } catch (UnsupportedOperationException uncoordinated) {
            work.run();
            return true;
        }
        if (!(outcome instanceof CollectionLease.Acquired acquired)) {
            LOG.debug("{} skipped on this node: {}", job, outcome);
            return false;
        }
        try {
            work.run();
        } catch (IOException | RuntimeException | Error e) {
            acquired.held().release(); // the next node due runs it at once
            throw e;
        }
        acquired.held().finish();
        return true;
    }

    private static String nodeName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "node";
        }
        return host + "/" + UUID.randomUUID().toString().substring(0, 8);
    }
}
