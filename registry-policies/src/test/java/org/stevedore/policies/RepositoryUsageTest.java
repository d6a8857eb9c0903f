package org.stevedore.policies;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.stevedore.model.RepositoryName;
import org.stevedore.model.Tag;
import org.stevedore.registry.Registry;
import org.stevedore.registry.fixtures.ImageSpec;
import org.stevedore.registry.fixtures.Platform;
import org.stevedore.registry.fixtures.PushedImage;

/** Usage counts each distinct blob once per repository, and deleting gives the space back. */
class RepositoryUsageTest {
    @Test
    void sharedLayersCountOnceAndDeletionsGiveSpaceBack() throws Exception {
        try (Registry registry = Registry.builder().start()) {
            PushedImage amd = registry.fixtures().pushImage("team/app", "amd", ImageSpec.layers(4000, 100).seed(1));
            PushedImage arm = registry.fixtures().pushImage("team/app", "arm",
                    ImageSpec.layers(4000, 100).seed(1).platform(Platform.LINUX_ARM64));
            registry.fixtures().pushImage("team/app", "alias", ImageSpec.layers(4000, 100).seed(1));

            long layers = size(registry, amd.layers().get(0)) + size(registry, amd.layers().get(1));
            long both = layers + size(registry, amd.config()) + size(registry, arm.config())
                    + amd.manifestSize() + arm.manifestSize();
            assertEquals(new RepositoryUsage(RepositoryName.of("team/app"), both, 6, 3, 2),
                    RepositoryUsage.of(registry.service(), RepositoryName.of("team/app")));

            registry.service().manifests().delete(RepositoryName.of("team/app"), arm.manifest());
            long one = layers + size(registry, amd.config()) + amd.manifestSize();
            assertEquals(List.of(new RepositoryUsage(RepositoryName.of("team/app"), one, 4, 2, 1)),
                    RepositoryUsage.all(registry.service()));
            registry.service().manifests().delete(RepositoryName.of("team/app"), Tag.of("alias"));
            assertEquals(one, RepositoryUsage.of(registry.service(), RepositoryName.of("team/app")).bytes());
        }
    }

    private static long size(Registry registry, org.stevedore.model.Digest digest) throws Exception {
        return registry.service().blobs().findStored(digest).orElseThrow().size();
    }
}
