package org.stevedore.policies;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stevedore.service.RegistryService;

/**
 * The server's periodic online verify ({@code policies.verify.interval}): what
 * {@code stevedore verify} does (re-hash every blob, check every link, tag and manifest
 * reference), on a daemon thread, by one node of the fleet per interval ({@link FleetOnce}).
 * Findings are logged (the first {@link #LOGGED_FINDINGS} of a run each on a line) and counted
 * for the {@code stevedore_verify_findings} gauge; verify only reads, so it is safe during pushes
 * (a push in flight may show as a finding in that run, e.g. a tag whose manifest is being
 * written, and not in the next).
 */
public final class VerifySchedule implements AutoCloseable {
    static final int LOGGED_FINDINGS = 20;
    private static final Logger LOG = LoggerFactory.getLogger(VerifySchedule.class);

    private final Duration interval;
    private final Clock clock;
    private final AtomicLong runs = new AtomicLong();
    private final AtomicLong findings = new AtomicLong();
    private FleetSchedule schedule;

    public VerifySchedule(Duration interval, Clock clock) {
        if (interval.isNegative() || interval.isZero()) throw new IllegalArgumentException("interval must be positive");
        this.interval = interval;
        this.clock = clock;
    }

    /** Starts verifying {@code service}'s storage every interval. */
    public synchronized void start(RegistryService service) {
        if (schedule != null) return;
        schedule = new FleetSchedule("verify", service.storage(), interval, clock, () -> runOnce(service));
    }

    private void runOnce(RegistryService service) throws java.io.IOException {
        AtomicLong logged = new AtomicLong();
        Verifier.Report report = new Verifier(service).run(finding -> {
            if (logged.incrementAndGet() <= LOGGED_FINDINGS) LOG.warn("verify: {}", finding.line());
        });
        findings.set(report.findings().size());
        runs.incrementAndGet();
        if (report.findings().isEmpty()) LOG.info("verify: {}", report.summary());
        else LOG.warn("verify: {}", report.summary());
    }

    /** Completed runs on this node. */
    public long runs() {
        return runs.get();
    }

    /** What this node's last completed run found. */
    public long findings() {
        return findings.get();
    }

    @Override
    public synchronized void close() {
        if (schedule != null) schedule.close();
    }
}
