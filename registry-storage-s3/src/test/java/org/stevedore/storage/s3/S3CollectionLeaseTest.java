package org.stevedore.storage.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.stevedore.service.CollectionLease;
import org.stevedore.storage.CheckedDriver;

/** The collection lease between two nodes over one bucket, on the wall clock: taken, held, expired, taken over. */
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
            CollectionLease nodeA = new CollectionLease(CheckedDriver.wrap(a), "a", LEASE, Clock.systemUTC());
            CollectionLease nodeB = new CollectionLease(CheckedDriver.wrap(b), "b", LEASE, Clock.systemUTC());
            CollectionLease.Held held = assertInstanceOf(CollectionLease.Acquired.class, nodeA.tryAcquire(Duration.ZERO)).held();
            assertInstanceOf(CollectionLease.Busy.class, nodeB.tryAcquire(Duration.ZERO));
            Thread.sleep(LEASE.toMillis() / 2 + 100);
            held.renew();
            Thread.sleep(LEASE.toMillis() / 2 + 100); // past the first expiry, inside the renewed one
            assertInstanceOf(CollectionLease.Busy.class, nodeB.tryAcquire(Duration.ZERO));
            Thread.sleep(LEASE.toMillis() + 100); // A stalls past its lease
            CollectionLease.Held taken = assertInstanceOf(CollectionLease.Acquired.class, nodeB.tryAcquire(Duration.ZERO)).held();
            assertEquals(held.generation() + 1, taken.generation());
            Thread.sleep(LEASE.toMillis() / 3 + 100);
            assertThrows(CollectionLease.LeaseLostException.class, held::renew);
            taken.finish();
            assertInstanceOf(CollectionLease.Recent.class, nodeA.tryAcquire(Duration.ofMinutes(1)));
        }
    }
}
