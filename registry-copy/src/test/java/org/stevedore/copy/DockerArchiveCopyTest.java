package org.stevedore.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stevedore.registry.Registry;
import org.stevedore.registry.fixtures.ImageSpec;
import org.stevedore.registry.fixtures.Platform;
import org.stevedore.registry.fixtures.PushedImage;
import org.stevedore.registry.fixtures.PushedIndex;

/**
 * {@code docker-archive:} on both sides: a registry's image goes into a docker save archive and
 * back with its config (its image ID) unchanged; what cannot go into one archive is refused.
 */
class DockerArchiveCopyTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    @Test
    void anImageGoesThroughAnArchiveWithItsConfig() throws Exception {
        try (Registry registry = Registry.builder().start()) {
            PushedImage image = registry.fixtures().pushImage("demo/app", "1", ImageSpec.layers(80_000, 2000).seed(11));
            String here = "docker://" + registry.hostPort();
            Path archive = work.resolve("app.tar");
            assertEquals(image.manifest(), ImageCopy.copy(here + "/demo/app:1", "docker-archive:" + archive + ":demo/app:1",
                    CopyOptions.DEFAULT).digest());
            try (Stream<Path> files = Files.list(work)) {
                assertEquals(List.of(archive), files.toList(), "the staged blobs are gone");
            }

            ImageCopy.Result back = ImageCopy.copy("docker-archive:" + archive, here + "/back/app:1", CopyOptions.DEFAULT);
            JsonNode manifest = JSON.readTree(registry.contents().manifest("back/app", "1").orElseThrow().bytes());
            assertEquals(image.config().toString(), manifest.path("config").path("digest").asText(), "same image ID");
            assertEquals("application/vnd.docker.distribution.manifest.v2+json", manifest.path("mediaType").asText());
            assertEquals(2, manifest.path("layers").size());
            assertEquals(3, back.blobsSent(), "config and two layers");
            assertEquals(back.digest(), ImageCopy.copy("docker-archive:" + archive + ":demo/app:1", here + "/back/app:2",
                    CopyOptions.DEFAULT).digest(), "the archive is read the same way each time, by name too");
        }
    }

    @Test
    void anIndexGoesInOnePlatformAtATimeAndReferrersNotAtAll() throws Exception {
        try (Registry registry = Registry.builder().start()) {
            PushedIndex index = registry.fixtures().pushIndex("demo/multi", "1", ImageSpec.layers(3000).seed(12),
                    Platform.LINUX_AMD64, Platform.LINUX_ARM64);
            String source = "docker://" + registry.hostPort() + "/demo/multi:1";
            Path archive = work.resolve("multi.tar");
            CopyException all = assertThrows(CopyException.class, () -> ImageCopy.copy(source, "docker-archive:" + archive,
                    CopyOptions.DEFAULT.withAll(true)));
            assertTrue(all.getMessage().contains("choose a platform"), all.getMessage());
            CopyException referrers = assertThrows(CopyException.class, () -> ImageCopy.copy(source,
                    "docker-archive:" + archive, CopyOptions.DEFAULT.withReferrers(true)));
            assertTrue(referrers.getMessage().contains("no referrers"), referrers.getMessage());
            assertTrue(Files.notExists(archive));

            CopyOptions arm = new CopyOptions(false, java.util.Optional.of("linux/arm64"), 2, Retry.DEFAULT,
                    java.util.Optional.empty(), java.util.Optional.empty(), true, true, java.util.Map.of(), false);
            PushedImage armImage = index.images().get(1);
            assertEquals(armImage.manifest(), ImageCopy.copy(source, "docker-archive:" + archive, arm).digest());
            ImageCopy.copy("docker-archive:" + archive, "docker://" + registry.hostPort() + "/arm/app:1", CopyOptions.DEFAULT);
            JsonNode manifest = JSON.readTree(registry.contents().manifest("arm/app", "1").orElseThrow().bytes());
            assertEquals(armImage.config().toString(), manifest.path("config").path("digest").asText());
        }
    }

    @Test
    void aMissingOrForeignArchiveIsACopyErrorNamingIt() throws Exception {
        Path text = Files.writeString(work.resolve("notes.txt"), "just words, no tar here at all");
        CopyException foreign = assertThrows(CopyException.class,
                () -> ImageCopy.copy("docker-archive:" + text, "oci:" + work.resolve("out") + ":1", CopyOptions.DEFAULT));
        assertTrue(foreign.getMessage().contains(text.toString()), foreign.getMessage());
        IllegalArgumentException unnamed = assertThrows(IllegalArgumentException.class,
                () -> ImageLocation.parse("docker-archive:" + text + ":notag"));
        assertTrue(unnamed.getMessage().contains("NAME:TAG"), unnamed.getMessage());
    }
}
