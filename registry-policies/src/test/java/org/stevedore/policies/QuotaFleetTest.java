package org.stevedore.policies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stevedore.error.RegistryException;
import org.stevedore.model.RepositoryName;
import org.stevedore.registry.Registry;
import org.stevedore.registry.fixtures.ImageSpec;
import org.stevedore.registry.fixtures.PushedImage;
import org.stevedore.storage.StorageDriver;
import org.stevedore.storage.fs.FilesystemDriver;

/**
 * Two nodes (two registries, each with its own driver and quota enforcement) over one filesystem
 * store, three pushers each, all into one repository with a quota: the repository ends within
 * the stated bound (its quota plus one push in flight on the other node), every refused push
 * leaves no manifest, and the usage the ledger keeps agrees with a walk of the repository.
 */
class QuotaFleetTest {
    private static final long QUOTA = 200_000;
    private static final int LAYER = 9_000;

    @Test
    void concurrentPushesOnTwoNodesStayWithinOnePushPerOtherNodeOfTheQuota(@TempDir Path root) throws Exception {
        Policies policies = new Policies(List.of(), List.of(new QuotaRule("policies.quotas[0]", Glob.of("team/**"), QUOTA)),
                RetentionPolicy.NONE);
        StorageDriver driverA = FilesystemDriver.at(root);
        StorageDriver driverB = FilesystemDriver.at(root);
        try (Registry nodeA = Registry.builder().storage(driverA).manifestGuard(policies.guard(driverA, 4 << 20)).start();
             Registry nodeB = Registry.builder().storage(driverB).manifestGuard(policies.guard(driverB, 4 << 20)).start()) {
            ExecutorService pushers = Executors.newFixedThreadPool(6);
            List<Future<List<PushedImage>>> results = new ArrayList<>();
            for (int pusher = 0; pusher < 6; pusher++) {
                Registry node = pusher % 2 == 0 ? nodeA : nodeB;
                int seed = pusher;
                results.add(pushers.submit(() -> pushUntilRefused(node, seed)));
            }
            List<PushedImage> pushed = new ArrayList<>();
            for (Future<List<PushedImage>> result : results) pushed.addAll(result.get(120, TimeUnit.SECONDS));
            pushers.shutdown();

            RepositoryUsage usage = RepositoryUsage.of(nodeA.service(), RepositoryName.of("team/app"));
            long onePush = pushed.get(0).manifestSize() + 2 * LAYER + 2;
            assertTrue(usage.bytes() <= QUOTA + onePush, "used " + usage.bytes() + " of " + QUOTA);
            // The pushers stopped at the quota, not far below it.
            assertTrue(usage.bytes() > QUOTA - 2 * onePush, "used " + usage.bytes() + " of " + QUOTA);
            assertEquals(pushed.size(), usage.manifests(), "every accepted push, and only those, is visible");
            for (PushedImage image : pushed) {
                assertTrue(nodeB.contents().manifest("team/app", image.manifest().toString()).isPresent());
            }
            // What either node's ledger says, after its transient over-counting is counted away.
            Quotas quotas = policies.quotas(driverA, 4 << 20).orElseThrow();
            long recorded = quotas.used(RepositoryName.of("team/app"));
            assertTrue(recorded >= usage.bytes(), "the ledger never under-counts: " + recorded + " < " + usage.bytes());
            nodeA.service().manifests().delete(RepositoryName.of("team/app"), pushed.get(0).manifest());
            assertEquals(RepositoryUsage.of(nodeA.service(), RepositoryName.of("team/app")).bytes(),
                    quotas.used(RepositoryName.of("team/app")), "a delete gives the space back at once");
        }
    }

    /** Pushes images of two distinct layers until the quota refuses one. */
    private static List<PushedImage> pushUntilRefused(Registry node, int pusher) {
        List<PushedImage> pushed = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            try {
                pushed.add(node.fixtures().pushImage("team/app", "p" + pusher + "-" + i,
                        ImageSpec.layers(LAYER, LAYER).randomBytes().seed(pusher * 1000L + i)));
            } catch (RegistryException refused) {
                assertTrue(refused.clientMessage().contains("quota exceeded"),
                        refused.toString());
                return pushed;
            }
        }
        throw new AssertionError("the quota never refused a push");
    }
}
