package org.stevedore.images;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stevedore.model.Digest;
import org.stevedore.model.ManifestParser;
import org.stevedore.model.MediaType;
import org.stevedore.model.RepositoryName;
import org.stevedore.registry.fixtures.Fixtures;
import org.stevedore.registry.fixtures.ImageSpec;
import org.stevedore.registry.fixtures.Platform;
import org.stevedore.registry.fixtures.PushedImage;
import org.stevedore.registry.fixtures.PushedIndex;
import org.stevedore.registry.fixtures.RegistryContents;
import org.stevedore.service.RegistryService;
import org.stevedore.storage.memory.InMemoryDriver;

/** Export then import between two stores keeps every digest; archives that are not images are refused clearly. */
class ImageArchivesTest {
    @TempDir
    Path work;

    private final RegistryService source = RegistryService.over(InMemoryDriver.create());
    private final RegistryService target = RegistryService.over(InMemoryDriver.create());

    @Test
    void anImageGoesThroughALayoutDirectoryUnchanged() throws IOException {
        PushedImage image = Fixtures.over(source).pushImage("demo/app", "1", ImageSpec.layers(10, 70_000).seed(3));
        Path layout = work.resolve("layout");
        assertEquals(image.manifest(), ImageArchives.over(source).exportImage("demo/app", "1", layout));

        ImportedImage imported = ImageArchives.over(target).importImage(layout, "copied/app", "v1");
        assertEquals(image.manifest(), imported.digest());
        assertEquals(ImportedImage.Format.OCI_LAYOUT_DIRECTORY, imported.format());
        RegistryContents contents = RegistryContents.over(target);
        assertArrayEquals(image.manifestBytes(), contents.manifest("copied/app", "v1").orElseThrow().bytes());
        for (Digest layer : image.layers()) assertTrue(contents.hasBlob("copied/app", layer));
        assertTrue(contents.hasBlob("copied/app", image.config()));
    }

    @Test
    void anIndexGoesThroughALayoutTarWithEveryPlatform() throws IOException {
        PushedIndex index = Fixtures.over(source).pushIndex("demo/multi", "2", ImageSpec.layers(100).seed(4),
                Platform.LINUX_AMD64, Platform.LINUX_ARM64);
        Path layout = work.resolve("multi");
        ImageArchives.over(source).exportImage("demo/multi", "2", layout);
        Path tar = tar(layout, work.resolve("multi.tar"));

        ImportedImage imported = ImageArchives.over(target).importImage(tar, "demo/multi", "2");
        assertEquals(index.index(), imported.digest());
        assertEquals(MediaType.OCI_INDEX, imported.mediaType());
        assertEquals(ImportedImage.Format.OCI_LAYOUT_TAR, imported.format());
        for (PushedImage image : index.images()) {
            assertTrue(RegistryContents.over(target).manifest("demo/multi", image.manifest().toString()).isPresent());
        }
    }

    @Test
    void exportAddsToALayoutAndImportPicksTheNamedImage() throws IOException {
        PushedImage one = Fixtures.over(source).pushImage("demo/app", "1", 10);
        PushedImage two = Fixtures.over(source).pushImage("demo/app", "2", 20);
        Path layout = work.resolve("both");
        ImageArchives.over(source).exportImage("demo/app", "1", layout);
        ImageArchives.over(source).exportImage("demo/app", "2", layout);

        assertEquals(two.manifest(), ImageArchives.over(target).importImage(layout, "demo/app", "2").digest());
        assertEquals(one.manifest(), ImageArchives.over(target).importImage(layout, "demo/app", "1").digest());
        ImageArchiveException unnamed = assertThrows(ImageArchiveException.class,
                () -> ImageArchives.over(target).importImage(layout, "demo/app", "3"));
        assertTrue(unnamed.getMessage().contains("none is named 3"), unnamed.getMessage());
    }

    /** The layout of docker save before Docker 25: manifest.json, the config by its hex, one directory per layer. */
    @Test
    void aDockerSaveArchiveGetsASchema2ManifestWithGzippedLayers() throws IOException {
        byte[] layer = "a layer tar, as far as this test cares".getBytes(StandardCharsets.UTF_8);
        Path archive = dockerSave(layer, ManifestParser.sha256(layer));
        ImportedImage imported = ImageArchives.over(target).importImage(archive, "app", "1");
        assertEquals(ImportedImage.Format.DOCKER_ARCHIVE, imported.format());

        byte[] stored = RegistryContents.over(target).manifest("app", "1").orElseThrow().bytes();
        assertEquals(ManifestParser.sha256(stored), imported.digest());
        JsonNode manifest = new ObjectMapper().readTree(stored);
        assertEquals("application/vnd.docker.distribution.manifest.v2+json", manifest.path("mediaType").asText());
        assertEquals("application/vnd.docker.container.image.v1+json", manifest.path("config").path("mediaType").asText());
        JsonNode layerDescriptor = manifest.path("layers").get(0);
        assertEquals("application/vnd.docker.image.rootfs.diff.tar.gzip", layerDescriptor.path("mediaType").asText());
        Digest layerDigest = Digest.parse(layerDescriptor.path("digest").asText());
        try (var blob = target.blobs().openLinked(RepositoryName.of("app"), layerDigest).orElseThrow();
             var in = new GZIPInputStream(blob.content().asStream())) {
            assertArrayEquals(layer, in.readAllBytes());
        }
        assertEquals(imported.digest(), ImageArchives.over(target).importImage(archive, "app", "again").digest(),
                "compression is deterministic");
    }

    @Test
    void aDockerSaveLayerThatDoesNotMatchItsDiffIdIsRefused() throws IOException {
        byte[] layer = "the layer".getBytes(StandardCharsets.UTF_8);
        Path archive = dockerSave(layer, ManifestParser.sha256("another layer".getBytes(StandardCharsets.UTF_8)));
        ImageArchiveException wrong = assertThrows(ImageArchiveException.class,
                () -> ImageArchives.over(target).importImage(archive, "app", "1"));
        assertTrue(wrong.getMessage().contains("does not match its diff ID"), wrong.getMessage());
        assertEquals(List.of(), RegistryContents.over(target).tags("app"));
    }

    private Path dockerSave(byte[] layer, Digest diffId) throws IOException {
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
                + diffId + "\"]}}").getBytes(StandardCharsets.UTF_8);
        Digest configDigest = ManifestParser.sha256(config);
        Path saved = Files.createDirectories(work.resolve("saved"));
        Files.write(saved.resolve(configDigest.encoded() + ".json"), config);
        Files.write(Files.createDirectories(saved.resolve("0123abcd")).resolve("layer.tar"), layer);
        Files.writeString(saved.resolve("manifest.json"), "[{\"Config\":\"" + configDigest.encoded()
                + ".json\",\"RepoTags\":[\"app:1\"],\"Layers\":[\"0123abcd/layer.tar\"]}]");
        return tar(saved, work.resolve("saved.tar"));
    }

    @Test
    void aLayoutMissingABlobIsRefusedAndNothingIsTagged() throws IOException {
        PushedImage image = Fixtures.over(source).pushImage("demo/app", "1", 10, 20);
        Path layout = work.resolve("broken");
        ImageArchives.over(source).exportImage("demo/app", "1", layout);
        Files.delete(layout.resolve("blobs/sha256/" + image.layers().get(1).encoded()));

        ImageArchiveException missing = assertThrows(ImageArchiveException.class,
                () -> ImageArchives.over(target).importImage(layout, "demo/app", "1"));
        assertTrue(missing.getMessage().contains(image.layers().get(1).encoded()), missing.getMessage());
        assertEquals(List.of(), RegistryContents.over(target).tags("demo/app"));
    }

    @Test
    void somethingElseIsRefusedWithTheReason() throws IOException {
        Path text = Files.writeString(work.resolve("notes.txt"), "not a tar at all, just some words here");
        ImageArchiveException notTar = assertThrows(ImageArchiveException.class,
                () -> ImageArchives.over(target).importImage(text, "demo/app", "1"));
        assertTrue(notTar.getMessage().contains("uncompressed tar"), notTar.getMessage());
        Path empty = Files.createDirectories(work.resolve("empty"));
        ImageArchiveException neither = assertThrows(ImageArchiveException.class,
                () -> ImageArchives.over(target).importImage(empty, "demo/app", "1"));
        assertTrue(neither.getMessage().contains("neither index.json"), neither.getMessage());
    }

    static Path tar(Path directory, Path tar) throws IOException {
        try (OutputStream out = Files.newOutputStream(tar); TarArchiveOutputStream archive = new TarArchiveOutputStream(out);
             Stream<Path> files = Files.walk(directory)) {
            archive.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                TarArchiveEntry entry = new TarArchiveEntry(file.toFile(), directory.relativize(file).toString());
                archive.putArchiveEntry(entry);
                Files.copy(file, archive);
                archive.closeArchiveEntry();
            }
        }
        return tar;
    }
}
