package org.stevedore.images;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stevedore.model.Descriptor;
import org.stevedore.model.Digest;
import org.stevedore.model.ManifestParser;
import org.stevedore.model.RepositoryName;
import org.stevedore.registry.fixtures.Fixtures;
import org.stevedore.registry.fixtures.ImageSpec;
import org.stevedore.registry.fixtures.Platform;
import org.stevedore.registry.fixtures.PushedImage;
import org.stevedore.registry.fixtures.RegistryContents;
import org.stevedore.service.RegistryService;
import org.stevedore.storage.memory.InMemoryDriver;

/**
 * A stored image written as a docker save archive has Docker's layout (manifest.json, the config
 * by its hex, uncompressed layers named by diff ID) and reads back, through the same reader the
 * import uses, as the same image: same config (so the same image ID), same layer contents.
 */
class DockerArchiveWriterTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    private final RegistryService source = RegistryService.over(InMemoryDriver.create());
    private final RepositoryName app = RepositoryName.of("demo/app");

    @Test
    void anImageBecomesAnArchiveDockerLoadReadsAndComesBackWithItsConfig() throws IOException {
        PushedImage image = Fixtures.over(source).pushImage("demo/app", "1", ImageSpec.layers(70_000, 3000).seed(8));
        Path archive = work.resolve("out/app.tar");
        DockerArchiveWriter.write(archive, image.manifestBytes(), this::openBlob, List.of("demo/app:1"));

        try (TarFile tar = new TarFile(archive)) {
            List<String> names = tar.getEntries().stream().map(e -> e.getName()).toList();
            assertTrue(names.contains(image.config().encoded() + ".json"), names.toString());
            JsonNode manifest = JSON.readTree(tar.getInputStream(tar.getEntries().stream()
                    .filter(e -> e.getName().equals("manifest.json")).findFirst().orElseThrow()));
            assertEquals("demo/app:1", manifest.get(0).path("RepoTags").get(0).asText());
            assertEquals(2, manifest.get(0).path("Layers").size());
        }
        try (Stream<Path> left = Files.list(archive.getParent())) {
            assertEquals(List.of(archive), left.toList(), "no temporary file is left beside the archive");
        }

        try (ImageArchiveReader reader = ImageArchiveReader.open(archive)) {
            assertEquals(ImportedImage.Format.DOCKER_ARCHIVE, reader.format());
            Descriptor top = reader.select(Optional.of("demo/app:1"));
            var manifest = ManifestParser.parse(reader.manifest(top.digest()), Optional.of(top.mediaType()));
            assertEquals(image.config(), manifest.config().orElseThrow().digest(), "same config: same image ID");
            for (int i = 0; i < image.layers().size(); i++) {
                assertArrayEquals(gunzip(openBlob(image.layers().get(i))),
                        gunzip(reader.openBlob(manifest.layers().get(i).digest())), "layer " + i);
            }
        }
    }

    @Test
    void anIndexOrALayerThatIsNotItsDiffIdIsRefusedAndNothingIsWritten() throws IOException {
        var index = Fixtures.over(source).pushIndex("demo/app", "multi", ImageSpec.layers(100).seed(9),
                Platform.LINUX_AMD64, Platform.LINUX_ARM64);
        Path archive = work.resolve("app.tar");
        ImageArchiveException notOne = assertThrows(ImageArchiveException.class, () -> DockerArchiveWriter.write(
                archive, RegistryContents.over(source).manifest("demo/app", "multi").orElseThrow().bytes(), this::openBlob, List.of()));
        assertTrue(notOne.getMessage().contains("one platform"), notOne.getMessage());

        PushedImage image = Fixtures.over(source).pushImage("demo/app", "1", 500);
        PushedImage other = Fixtures.over(source).pushImage("demo/app", "2", 600);
        DockerArchiveWriter.Blobs swapped = digest -> openBlob(digest.equals(image.layers().get(0))
                ? other.layers().get(0) : digest);
        ImageArchiveException wrong = assertThrows(ImageArchiveException.class,
                () -> DockerArchiveWriter.write(archive, image.manifestBytes(), swapped, List.of()));
        assertTrue(wrong.getMessage().contains("does not match its diff ID"), wrong.getMessage());
        try (Stream<Path> left = Files.list(work)) {
            assertEquals(List.of(), left.toList(), "neither the archive nor a temporary file");
        }
    }

    @Test
    void aTarIsReadByManyThreadsAtOnce() throws Exception {
        PushedImage image = Fixtures.over(source).pushImage("demo/app", "1",
                ImageSpec.layers(300_000, 300_000, 300_000, 300_000).randomBytes().seed(10));
        Path archive = work.resolve("app.tar");
        DockerArchiveWriter.write(archive, image.manifestBytes(), this::openBlob, List.of("demo/app:1"));
        RegistryService target = RegistryService.over(InMemoryDriver.create());
        ImportedImage imported = ImageArchives.over(target).importImage(archive, "copy/app", "1");
        Path layout = work.resolve("layout");
        ImageArchives.over(target).exportImage("copy/app", "1", layout);
        Path layoutTar = ImageArchivesTest.tar(layout, work.resolve("layout.tar"));

        try (ImageArchiveReader reader = ImageArchiveReader.open(layoutTar)) {
            Descriptor top = reader.select(Optional.empty());
            assertEquals(imported.digest(), top.digest());
            var manifest = ManifestParser.parse(reader.manifest(top.digest()), Optional.of(top.mediaType()));
            List<Thread> readers = new ArrayList<>();
            List<Digest> read = java.util.Collections.synchronizedList(new ArrayList<>());
            for (Descriptor layer : manifest.layers()) {
                Thread thread = new Thread(() -> {
                    try (InputStream in = reader.openBlob(layer.digest())) {
                        read.add(ManifestParser.sha256(in.readAllBytes()));
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                thread.start();
                readers.add(thread);
            }
            for (Thread thread : readers) thread.join();
            assertEquals(manifest.layers().stream().map(Descriptor::digest).map(Digest::toString).sorted().toList(),
                    read.stream().map(Digest::toString).sorted().toList(), "every layer read whole and intact");
        }
        assertFalse(RegistryContents.over(target).manifest("copy/app", "1").isEmpty());
    }

    private InputStream openBlob(Digest digest) throws IOException {
        return source.blobs().openLinked(app, digest).orElseThrow().content().asStream();
    }

    private static byte[] gunzip(InputStream in) throws IOException {
        try (InputStream gzip = new GZIPInputStream(in)) {
            return gzip.readAllBytes();
        }
    }
}
