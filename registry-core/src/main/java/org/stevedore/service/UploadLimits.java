package org.stevedore.service;

import java.time.Duration;
import java.util.Objects;

/**
 * Bounds on upload sessions, which outsiders open at will and each of which holds storage.
 *
 * @param maxSessions most sessions open at once across the nodes sharing the store (see
 *                    {@link OpenUploads}); beyond it,
 *                    starting a session answers {@code TOOMANYREQUESTS}
 * @param idleTimeout longest a session may go without receiving data; an idle session is deleted
 *                    and refused as unknown when next used. {@link Duration#ZERO}: no limit
 */
public record UploadLimits(int maxSessions, Duration idleTimeout) {
    /** Default bound on open sessions, counted in storage. */
    public static final int DEFAULT_MAX_SESSIONS = 10_000;
    /** Default idle timeout: a day, well inside distribution's one-week upload purging age. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofHours(24);
    /** The defaults. */
    public static final UploadLimits DEFAULT = new UploadLimits(DEFAULT_MAX_SESSIONS, DEFAULT_IDLE_TIMEOUT);

    public UploadLimits {
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (maxSessions <= 0) throw new IllegalArgumentException("maxSessions must be positive");
        if (idleTimeout.isNegative()) throw new IllegalArgumentException("idleTimeout must not be negative");
    }

    boolean expires() {
        return !idleTimeout.isZero();
    }
}
