package org.stevedore.registry;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stevedore.service.CollectionLease;
import org.stevedore.service.GarbageCollector;
import org.stevedore.service.RegistryService;

/**
 * One tick of online garbage collection on one node of a fleet: collects if this node gets the
 * storage's {@link CollectionLease} (none running elsewhere, none finished within the interval),
 * and skips otherwise, so a fleet with collection enabled everywhere runs about one collection
 * per interval. After each collection the same node reconciles the catalog index with the
 * storage. Every run and skip is logged (runs at info when they delete, with the lease
 * generation); runs go to the listener, where metrics count them.
 */
final class OnlineCollection {
    private static final Logger LOG = LoggerFactory.getLogger(OnlineCollection.class);
    private final RegistryService service;
    private final RegistrySettings settings;
    private final CollectionLease lease;
    private final GarbageCollector.Options options;
    private boolean warnedUncoordinated;

    OnlineCollection(RegistryService service, RegistrySettings settings) {
        this.service = service;
        this.settings = settings;
        this.lease = new CollectionLease(service.storage(), nodeName(), settings.gcLease, Clock.systemUTC());
        this.options = new GarbageCollector.Options(false, false, settings.gcGracePeriod);
    }

    void tick() throws IOException {
        CollectionLease.Outcome outcome;
        try {
            outcome = lease.tryAcquire(settings.gcInterval);
        } catch (UnsupportedOperationException e) {
            if (!warnedUncoordinated) {
                LOG.warn("online garbage collection: {}; collecting on this node's schedule alone", e.getMessage());
                warnedUncoordinated = true;
            }
            GarbageCollector.Report report = service.garbageCollector().run(options, line -> { });
            reconcileCatalog(() -> { });
            report(-1, report);
            return;
        }
        if (outcome instanceof CollectionLease.Acquired acquired) {
            CollectionLease.Held held = acquired.held();
            GarbageCollector.Report report;
            GarbageCollector.Checkpoint checkpoint = () -> {
                if (Thread.currentThread().isInterrupted()) throw new java.io.InterruptedIOException("registry stopping");
                held.renew();
            };
            try {
                report = service.garbageCollector().run(options, line -> { }, checkpoint);
                reconcileCatalog(checkpoint);
            } catch (IOException | RuntimeException e) {
                releaseQuietly(held, e);
                throw e;
            }
            held.finish();
            report(held.generation(), report);
        } else if (outcome instanceof CollectionLease.Busy busy) {
            LOG.debug("online garbage collection skipped: {} is collecting (lease until {})", busy.holder(), busy.expires());
        } else if (outcome instanceof CollectionLease.Recent recent) {
            LOG.debug("online garbage collection skipped: {} collected at {}", recent.holder(), recent.finished());
        } else {
            LOG.debug("online garbage collection skipped: another node took the lease first");
        }
    }

    /**
     * The catalog index repaired against the walk (see {@code CatalogService.reconcile}), once per
     * fleet's collection. A failure is logged and left to the next run: the collection itself
     * succeeded, and the index's readers confirm what they list anyway. A lost lease or a stop
     * ends the tick as it would mid-collection.
     */
    private void reconcileCatalog(GarbageCollector.Checkpoint checkpoint) throws IOException {
        try {
            service.catalog().reconcile(checkpoint);
        } catch (CollectionLease.LeaseLostException | java.io.InterruptedIOException stop) {
            throw stop;
        } catch (IOException | RuntimeException e) {
            LOG.warn("online garbage collection: cannot reconcile the catalog index ({}); next run retries", e.toString());
        }
    }

    /** A run that failed or was stopped hands the lease on at once; if even that fails, the lease expires. */
    private static void releaseQuietly(CollectionLease.Held held, Exception cause) {
        if (cause instanceof CollectionLease.LeaseLostException) return;
        try {
            held.release();
        } catch (IOException | RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    private void report(long generation, GarbageCollector.Report report) {
        settings.gcListener.accept(report);
        String lease = generation < 0 ? "" : " (lease " + generation + ")";
        if (report.blobsDeleted() > 0) LOG.info("online garbage collection{}: {}", lease, report.summary());
        else LOG.debug("online garbage collection{}: {}", lease, report.summary());
    }

    /** Who holds a lease, for the logs of every node: host name and a per-process suffix. */
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
