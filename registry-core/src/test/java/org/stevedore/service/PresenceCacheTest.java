package org.stevedore.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.stevedore.model.Digest;
import org.stevedore.model.RepositoryName;

/** The presence cache forgets on time, on request, and stays bounded; off at a zero time-to-live. */
class PresenceCacheTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final PresenceCache cache = new PresenceCache(Duration.ofSeconds(5), now::get);
    private static final RepositoryName REPO = RepositoryName.of("team/app");

    private static Digest digest(int i) {
        return Digest.parse("sha256:" + String.format("%064x", i));
    }

    @Test
    void factsExpireAfterTheTimeToLive() {
        cache.stored(digest(1), 42);
        cache.linked(REPO, digest(1), true);
        cache.hasManifests(REPO, true);
        now.addAndGet(Duration.ofSeconds(5).toNanos() - 1);
        assertEquals(OptionalLong.of(42), cache.storedSize(digest(1)));
        assertTrue(cache.linked(REPO, digest(1)));
        assertTrue(cache.hasManifests(REPO));
        now.incrementAndGet();
        assertTrue(cache.storedSize(digest(1)).isEmpty());
        assertFalse(cache.linked(REPO, digest(1)));
        assertFalse(cache.hasManifests(REPO));
    }

    @Test
    void deletesAreForgottenAtOnce() {
        cache.stored(digest(1), 42);
        cache.touched(digest(1));
        cache.linked(REPO, digest(1), true);
        cache.linked(REPO, digest(1), false);
        cache.forgetStored(digest(1));
        assertFalse(cache.linked(REPO, digest(1)));
        assertTrue(cache.storedSize(digest(1)).isEmpty());
        assertFalse(cache.useRecorded(digest(1)));
        assertFalse(cache.usedSince(digest(1), Instant.EPOCH));
    }

    @Test
    void aWrittenUseStandsForLaterUsesWithinTheWindowOnly() {
        cache.touched(digest(1));
        Instant before = Instant.now();
        now.addAndGet(PresenceCache.USE_WINDOW.toNanos() - 1);
        assertTrue(cache.useRecorded(digest(1)));
        assertTrue(cache.usedSince(digest(1), before), "the collector on this node sees the unwritten use");
        now.incrementAndGet();
        assertFalse(cache.useRecorded(digest(1)));
    }

    @Test
    void staysBounded() {
        for (int i = 0; i < PresenceCache.MAX_ENTRIES + 10; i++) cache.stored(digest(i), i);
        int remembered = 0;
        for (int i = 0; i < PresenceCache.MAX_ENTRIES + 10; i++) if (cache.storedSize(digest(i)).isPresent()) remembered++;
        assertTrue(remembered <= PresenceCache.MAX_ENTRIES, "remembered " + remembered);
        assertTrue(cache.storedSize(digest(PresenceCache.MAX_ENTRIES + 9)).isPresent(), "the newest entry is kept");
    }

    @Test
    void zeroTimeToLiveRemembersNothing() {
        PresenceCache off = new PresenceCache(Duration.ZERO, now::get);
        off.stored(digest(1), 42);
        off.linked(REPO, digest(1), true);
        off.touched(digest(1));
        assertTrue(off.storedSize(digest(1)).isEmpty());
        assertFalse(off.linked(REPO, digest(1)));
        assertFalse(off.useRecorded(digest(1)));
    }
}
