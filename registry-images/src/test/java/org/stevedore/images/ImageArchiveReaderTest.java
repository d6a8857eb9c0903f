package org.stevedore.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stevedore.registry.fixtures.Fixtures;
import org.stevedore.registry.fixtures.PushedImage;
import org.stevedore.service.RegistryService;
import org.stevedore.storage.memory.InMemoryDriver;

/**
 * Which image of a layout a name selects: Docker 25 and later write the full name in
 * {@code io.containerd.image.name} and only the tag in {@code org.opencontainers.image.ref.name},
 * so two repositories' {@code :1} are told apart by the full name.
 */
class ImageArchiveReaderTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    @Test
    void dockersFullNameTellsImagesWithTheSameTagApart() throws IOException {
        Fixtures fixtures = Fixtures.over(RegistryService.over(InMemoryDriver.create()));
        PushedImage first = fixtures.pushImage("first", "1", 100);
        PushedImage second = fixtures.pushImage("team/second", "1", 200);
        Path layout = work.resolve("saved");
        fixtures.exportImage("first", "1", layout);
        fixtures.exportImage("team/second", "1", layout.resolve("../other"));
        // One index.json as docker save (25+) writes it: both entries ref.name "1".
        ObjectNode index = (ObjectNode) JSON.readTree(layout.resolve("index.json").toFile());
        ObjectNode firstEntry = (ObjectNode) index.path("manifests").get(0);
        ((ObjectNode) firstEntry.path("annotations")).put("io.containerd.image.name", "docker.io/library/first:1");
        ObjectNode secondEntry = (ObjectNode) JSON.readTree(layout.resolve("../other/index.json").toFile())
                .path("manifests").get(0);
        ((ObjectNode) secondEntry.path("annotations")).put("io.containerd.image.name", "docker.io/team/second:1");
        index.withArray("manifests").add(secondEntry);
        JSON.writeValue(layout.resolve("index.json").toFile(), index);
        for (var digest : second.layers()) copyBlob(layout.resolve("../other"), layout, digest.encoded());
        copyBlob(layout.resolve("../other"), layout, second.config().encoded());
        copyBlob(layout.resolve("../other"), layout, second.manifest().encoded());

        try (ImageArchiveReader reader = ImageArchiveReader.open(layout)) {
            assertEquals(second.manifest(), reader.select(Optional.of("team/second:1")).digest());
            assertEquals(first.manifest(), reader.select(Optional.of("first:1")).digest());
            ImageArchiveException unnamed = assertThrows(ImageArchiveException.class, () -> reader.select(Optional.empty()));
            assertTrue(unnamed.getMessage().contains("lists 2 images"), unnamed.getMessage());
        }
    }

    private static void copyBlob(Path from, Path to, String hex) throws IOException {
        Path target = to.resolve("blobs/sha256").resolve(hex);
        if (!java.nio.file.Files.exists(target)) java.nio.file.Files.copy(from.resolve("blobs/sha256").resolve(hex), target);
    }
}
