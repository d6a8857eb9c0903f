package org.stevedore.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.stevedore.storage.CheckedDriver;
import org.stevedore.storage.StorageDriver;
import org.stevedore.storage.layout.StorageLayout;
import org.stevedore.storage.memory.InMemoryDriver;

/** The fleet's collection lease over one store, with each node's clock set by the test. */
class CollectionLeaseTest {
    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final Duration INTERVAL = Duration.ofMinutes(10);
    private final StorageDriver storage = CheckedDriver.wrap(InMemoryDriver.create());
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final CollectionLease nodeA = new CollectionLease(storage, "a", LEASE, clock);
    private final CollectionLease nodeB = new CollectionLease(storage, "b", LEASE, clock);

    @Test
    void oneNodeCollectsAndTheOthersSkipUntilTheIntervalHasPassed() throws Exception {
        CollectionLease.Held held = acquired(nodeA.tryAcquire(INTERVAL));
        assertEquals(new CollectionLease.Busy("a", clock.instant().plus(LEASE)), nodeB.tryAcquire(INTERVAL));
        clock.advance(Duration.ofSeconds(5));
        held.finish();
        Instant finished = clock.instant();
        clock.advance(INTERVAL.minusSeconds(1));
        assertEquals(new CollectionLease.Recent("a", finished), nodeB.tryAcquire(INTERVAL));
        assertEquals(new CollectionLease.Recent("a", finished), nodeA.tryAcquire(INTERVAL));
        clock.advance(Duration.ofSeconds(1));
        assertEquals(2, acquired(nodeB.tryAcquire(INTERVAL)).generation());
        assertEquals(new CollectionLease.Busy("b", clock.instant().plus(LEASE)), nodeA.tryAcquire(INTERVAL));
    }

    @Test
    void aKilledHolderBlocksTheOthersOnlyUntilItsLeaseExpires() throws Exception {
        acquired(nodeA.tryAcquire(INTERVAL)); // and then nothing: killed
        clock.advance(LEASE.minusSeconds(1));
        assertInstanceOf(CollectionLease.Busy.class, nodeB.tryAcquire(INTERVAL));
        clock.advance(Duration.ofSeconds(1));
        assertEquals(2, acquired(nodeB.tryAcquire(INTERVAL)).generation());
    }

    @Test
    void renewalKeepsTheLeaseWhileTheHolderMakesProgress() throws Exception {
        CollectionLease.Held held = acquired(nodeA.tryAcquire(INTERVAL));
        for (int step = 0; step < 10; step++) {
            clock.advance(LEASE.dividedBy(3));
            held.renew();
            assertInstanceOf(CollectionLease.Busy.class, nodeB.tryAcquire(INTERVAL), "step " + step);
        }
    }

    @Test
    void aReleasedLeaseIsTakenAtOnce() throws Exception {
        CollectionLease.Held stopping = acquired(nodeA.tryAcquire(INTERVAL));
        clock.advance(Duration.ofSeconds(1));
        stopping.release();
        assertEquals(2, acquired(nodeB.tryAcquire(INTERVAL)).generation());
    }

    @Test
    void aHolderThatStalledPastItsLeaseLearnsItLostItAndStops() throws Exception {
        CollectionLease.Held stalled = acquired(nodeA.tryAcquire(INTERVAL));
        clock.advance(LEASE.plusSeconds(1));
        acquired(nodeB.tryAcquire(INTERVAL));
        assertThrows(CollectionLease.LeaseLostException.class, stalled::renew);
    }

    @Test
    void ofNodesDueAtOnceOneWinsTheGeneration() throws Exception {
        // Both read generation 1 as finished long ago; B creates generation 2 first.
        acquired(nodeA.tryAcquire(INTERVAL)).finish();
        clock.advance(INTERVAL);
        storage.createSmall(StorageLayout.gcLease(2), "holder b\nexpires 2099-01-01T00:00:00Z\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(new CollectionLease.Busy("b", Instant.parse("2099-01-01T00:00:00Z")), nodeA.tryAcquire(INTERVAL));
    }

    @Test
    void oldGenerationsAreDeletedAndAnUnreadableOneCountsAsExpired() throws Exception {
        for (int run = 0; run < 5; run++) {
            acquired(nodeA.tryAcquire(INTERVAL)).finish();
            clock.advance(INTERVAL);
        }
        assertEquals(List.of(StorageLayout.gcLease(4), StorageLayout.gcLease(5)), storage.list(StorageLayout.GC_LEASES));
        storage.createSmall(StorageLayout.gcLease(6), "garbage".getBytes(StandardCharsets.UTF_8));
        assertEquals(7, acquired(nodeB.tryAcquire(INTERVAL)).generation());
    }

    @Test
    void aCreateWhoseReplyWasLostStillCountsAsThisNodes() throws Exception {
        // The store made the file, but the client retried and was told it exists: its own bytes say it won.
        StorageDriver lostReplies = (StorageDriver) java.lang.reflect.Proxy.newProxyInstance(
                StorageDriver.class.getClassLoader(), new Class<?>[] {StorageDriver.class}, (proxy, method, args) -> {
                    Object result = method.invoke(storage, args);
                    return method.getName().equals("createSmall") ? Boolean.FALSE : result;
                });
        CollectionLease node = new CollectionLease(lostReplies, "c", LEASE, clock);
        assertEquals(1, acquired(node.tryAcquire(INTERVAL)).generation());
        assertInstanceOf(CollectionLease.Busy.class, node.tryAcquire(INTERVAL));
    }

    private static CollectionLease.Held acquired(CollectionLease.Outcome outcome) {
        return assertInstanceOf(CollectionLease.Acquired.class, outcome).held();
    }

    private static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
