package org.stevedore.storage.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.stevedore.service.CollectionLease;
import org.stevedore.storage.CheckedDriver;

/**
 * The collection lease between two nodes over one bucket: taken, held, expired, taken over. The
 * nodes share a clock the test moves (as NTP keeps real nodes' clocks together), so that a slow
 * S3 request on a loaded machine cannot move a step past an expiry: it once slept on the wall
 * clock, with 1.4 s between a renewal's expiry and the check that it still held.
 */
class S3CollectionLeaseTest {
    @RegisterExtension
    static final S3ProxyExtension S3 = new S3ProxyExtension();
    private static final Duration LEASE = Duration.ofSeconds(3);

    @Test
    void aStalledHolderIsTakenOverAfterItsLeaseAndLearnsIt() throws Exception {
        S3DriverSettings settings = S3.settings().withRedirect(false);
        try (S3Driver a = S3Driver.create(settings); S3Driver b = S3Driver.create(settings)) {
            for (S3Driver node : new S3Driver[] {a, b}) { // the SDK's first requests are slow while the JIT warms up
                node.writeSmall("/warm", new byte[1]);
                node.readSmall("/warm", 1);
            }
            a.delete("/warm");
            SharedClock clock = new SharedClock(Instant.now());
            CollectionLease nodeA = new CollectionLease(CheckedDriver.wrap(a), "a", LEASE, clock);
            CollectionLease nodeB = new CollectionLease(CheckedDriver.wrap(b), "b", LEASE, clock);
            CollectionLease.Held held = assertInstanceOf(CollectionLease.Acquired.class, nodeA.tryAcquire(Duration.ZERO)).held();
            assertInstanceOf(CollectionLease.Busy.class, nodeB.tryAcquire(Duration.ZERO));
            clock.advance(LEASE.dividedBy(2).plusMillis(100));
            held.renew();
            clock.advance(LEASE.dividedBy(2).plusMillis(100)); // past the first expiry, inside the renewed one
            assertInstanceOf(CollectionLease.Busy.class, nodeB.tryAcquire(Duration.ZERO));
            clock.advance(LEASE.plusMillis(100)); // A stalls past its lease
            CollectionLease.Held taken = assertInstanceOf(CollectionLease.Acquired.class, nodeB.tryAcquire(Duration.ZERO)).held();
            assertEquals(held.generation() + 1, taken.generation());
            clock.advance(LEASE.dividedBy(3).plusMillis(100));
            assertThrows(CollectionLease.LeaseLostException.class, held::renew);
            taken.finish();
            assertInstanceOf(CollectionLease.Recent.class, nodeA.tryAcquire(Duration.ofMinutes(1)));
        }
    }

    /** One clock for both nodes, moved only by the test. */
    private static final class SharedClock extends Clock {
        private volatile Instant now;

        SharedClock(Instant start) {
            now = start;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
