package org.stevedore.policies;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stevedore.service.RegistryService;

/**
 * The server's periodic retention run ({@code policies.retention.interval}) on a daemon thread of
 * its own: plan, log the plan, and unless {@code dryrun} carry it out. Blobs are left to online
 * garbage collection and its grace period. One node of the fleet runs it per interval
 * ({@link FleetOnce}, a lease in storage); were two to run at once, deletions re-check their
 * premise and a deletion another node made first is skipped. A failed run is logged; the next
 * runs as planned.
 */
public final class RetentionSchedule implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RetentionSchedule.class);

    private final Policies policies;
    private final Clock clock;
    private FleetSchedule schedule;

    public RetentionSchedule(Policies policies, Clock clock) {
        this.policies = policies;
        this.clock = clock;
    }

    /** Starts running over {@code service} every interval; does nothing without an interval. */
    public synchronized void start(RegistryService service) {
        if (schedule != null || policies.retention().interval().isEmpty()) return;
        Duration interval = policies.retention().interval().get();
        Retention retention = new Retention(service, policies, clock);
        boolean dryRun = policies.retention().dryRun();
        schedule = new FleetSchedule("retention", service.storage(), interval, clock, () -> runOnce(retention, dryRun));
    }

    private static void runOnce(Retention retention, boolean dryRun) throws java.io.IOException {
        List<RetentionPlan> plans = retention.plan();
        boolean deletes = plans.stream().anyMatch(p -> !p.tagsToDelete().isEmpty() || !p.manifestsToDelete().isEmpty());
        if (dryRun) {
            RetentionOutput.lines(plans).forEach(line -> LOG.info("retention dry run: {}", line));
            LOG.info("retention dry run: {}; nothing deleted", RetentionOutput.summary(plans));
            return;
        }
        if (!deletes) {
            LOG.debug("retention: nothing to delete");
            return;
        }
        Retention.Outcome outcome = retention.apply(plans, line -> LOG.info("retention: {}", line));
        LOG.info("retention: deleted {} tags and {} manifests ({} skipped); their blobs go at garbage collection",
                outcome.tagsDeleted(), outcome.manifestsDeleted(), outcome.skipped().size());
    }

    @Override
    public synchronized void close() {
        if (schedule != null) schedule.close();
    }
}
