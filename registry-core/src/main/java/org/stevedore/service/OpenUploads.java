package org.stevedore.service;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.stevedore.error.ErrorCode;

/**
 * The upload sessions open on this node, for the bound on concurrent sessions. Per node, not per
 * storage: counting the sessions in shared storage would mean listing every repository's
 * {@code _uploads} on each start. A session counts from when this node starts or next continues it
 * until it completes, is cancelled or purged, or stays idle past the idle timeout; so after a
 * restart the sessions from before count again once their clients resume them. Thread-safe.
 */
final class OpenUploads {
    private final Map<String, Instant> lastTouched = new ConcurrentHashMap<>();
    private final UploadLimits limits;
    private final Clock clock;

    OpenUploads(UploadLimits limits, Clock clock) {
        this.limits = limits;
        this.clock = clock;
    }

    /** Counts a new session, or refuses it with {@code TOOMANYREQUESTS} when the bound is reached. */
    synchronized void open(String id) {
        if (lastTouched.size() >= limits.maxSessions()) forgetIdle();
        if (lastTouched.size() >= limits.maxSessions()) {
            throw ErrorCode.TOOMANYREQUESTS.withDetail("too many upload sessions open (limit "
                    + limits.maxSessions() + "); complete or cancel some, or retry later");
        }
        lastTouched.put(id, clock.instant());
    }

    /** Notes that a session (perhaps one this node has not seen yet) is in use. */
    void touch(String id) {
        lastTouched.put(id, clock.instant());
    }

    void close(String id) {
        lastTouched.remove(id);
    }

    int size() {
        return lastTouched.size();
    }

    /** Forgets sessions idle past the timeout: their storage is deleted when next used, or by purging. */
    private void forgetIdle() {
        if (!limits.expires()) return;
        Instant cutoff = clock.instant().minus(limits.idleTimeout());
        lastTouched.values().removeIf(touched -> touched.isBefore(cutoff));
    }
}
