package org.stevedore.junit5;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.TarImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.stevedore.images.ImageArchives;
import org.stevedore.model.Digest;
import org.stevedore.registry.Registry;
import org.stevedore.registry.fixtures.ImageSpec;
import org.stevedore.registry.fixtures.PushedImage;

/**
 * An extension with users and a preloaded image (an OCI layout made once for the class): Jib pulls
 * it as a base image, each layer exactly once, and the image is there again after a reset.
 */
class PreloadTest {
    private static final Path LAYOUT;
    private static final PushedImage BASE;

    static {
        try {
            LAYOUT = Files.createTempDirectory("stevedore-preload-");
            try (Registry maker = Registry.builder().start()) {
                BASE = maker.fixtures().pushImage("base/image", "1", ImageSpec.layers(30_000, 50_000).seed(21));
                ImageArchives.of(maker).exportImage("base/image", "1", LAYOUT);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @RegisterExtension
    static final RegistryExtension REGISTRY = RegistryExtension.builder()
            .users(Map.of("ci", "s3cret"))
            .preload(LAYOUT, "base/java", "17")
            .resetBetweenTests(true)
            .build();

    @TempDir
    Path work;

    @Test
    void jibPullsThePreloadedBaseEachBlobOnce(Registry registry) throws Exception {
        Jib.from(RegistryImage.named(registry.hostPort() + "/base/java:17").addCredential("ci", "s3cret"))
                .containerize(Containerizer.to(TarImage.at(work.resolve("app.tar")).named("app:1"))
                        .setAllowInsecureRegistries(true)
                        .setBaseImageLayersCache(work.resolve("cache"))
                        .setApplicationLayersCache(work.resolve("app-cache")));
        Map<String, Long> once = new LinkedHashMap<>();
        once.put(BASE.config().toString(), 1L);
        for (Digest layer : BASE.layers()) once.put(layer.toString(), 1L);
        assertEquals(once, registry.events().blobPulls("base/java"));
    }

    @Test
    void thePreloadedImageIsBackAfterAReset(Registry registry) {
        assertEquals(List.of("17"), registry.contents().tags("base/java"));
        assertEquals(BASE.manifest(), registry.contents().manifest("base/java", "17").orElseThrow().digest());
    }
}
