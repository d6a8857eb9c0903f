package org.stevedore.storage.fs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stevedore.storage.AppendWriter;
import org.stevedore.storage.Content;

/**
 * What only the filesystem driver promises: the exact layout on disk, which is what lets the
 * reference registry and Stevedore serve each other's directories, and the way it uses the disk.
 */
class FilesystemDriverTest {
    private static final String HEX = "a3ed95caeb02ffe68cdd9fd84406680ae93d633cb16422d00e8a7c22955b46d4";

    @TempDir
    Path root;

    /**
     * Sessions end and start at once: the last marker's delete removes its directory, the next
     * start makes it again. A listing in between must see a directory or none, never fail.
     */
    @Test
    void aPageOfADirectoryThatVanishesAndComesBackIsListedOrEmptyNeverAnError() throws Exception {
        FilesystemDriver driver = FilesystemDriver.at(root);
        java.util.concurrent.atomic.AtomicBoolean churning = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread churn = new Thread(() -> {
            try {
                for (int i = 0; churning.get() && i < 20_000; i++) {
                    driver.writeSmallUnsynced("/markers/uploads/" + (i % 2), "x".getBytes(UTF_8));
                    driver.delete("/markers/uploads/" + (i % 2));
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        churn.start();
        try {
            for (int i = 0; i < 20_000 && churn.isAlive(); i++) {
                List<String> page = driver.listPage("/markers/uploads", "", 10); // throws on a failed read
                assertTrue(page.size() <= 2, page.toString());
            }
        } finally {
            churning.set(false);
            churn.join();
        }
        assertEquals(List.of(), driver.list("/markers"), "every marker went, and its directory with it");
    }

    @Test
    void isNamedFilesystem() {
        assertEquals("filesystem", FilesystemDriver.at(root).name());
    }

    @Test
    void writesStoragePathsToTheSameRelativePathsOnDisk() throws IOException {
        FilesystemDriver driver = FilesystemDriver.at(root);
        String link = "/docker/registry/v2/repositories/a/_layers/sha256/" + HEX + "/link";

        driver.writeSmall(link, ("sha256:" + HEX).getBytes(UTF_8));

        Path onDisk = root.resolve("docker/registry/v2/repositories/a/_layers/sha256/" + HEX + "/link");
        assertEquals("sha256:" + HEX, Files.readString(onDisk));
        assertEquals(List.of(onDisk), regularFiles(), "exactly one file, no temporary leftovers");
    }

    @Test
    void touchRefreshesAnOldMarkerInPlaceWithoutTemporaryFiles() throws IOException {
        FilesystemDriver driver = FilesystemDriver.at(root);
        String marker = "/docker/registry/v2/blobs/sha256/a3/" + HEX + "/lastused";
        driver.touch(marker);
        Path onDisk = root.resolve(marker.substring(1));
        Files.setLastModifiedTime(onDisk, FileTime.from(Instant.parse("2001-01-01T00:00:00Z")));
        long inode = inode(onDisk);

        Instant before = Instant.now().minusSeconds(5);
        driver.touch(marker);

        assertTrue(Files.getLastModifiedTime(onDisk).toInstant().isAfter(before), "refreshed");
        assertEquals(inode, inode(onDisk), "the same file, not a replacement");
        assertEquals(0, Files.size(onDisk));
        assertEquals(List.of(onDisk), regularFiles(), "exactly one file, no temporary leftovers");
    }

    private static long inode(Path file) throws IOException {
        return ((Number) Files.getAttribute(file, "unix:ino")).longValue();
    }

    @Test
    void publishesUploadedBlobAtTheReferenceRegistryPath() throws IOException {
        FilesystemDriver driver = FilesystemDriver.at(root);
        String upload = "/docker/registry/v2/repositories/team/app/_uploads/3f2c/data";
        try (AppendWriter writer = driver.append(upload)) {
            writer.write(ByteBuffer.wrap("layer bytes".getBytes(UTF_8)));
            writer.commit();
        }

        driver.move(upload, "/docker/registry/v2/blobs/sha256/a3/" + HEX + "/data");

        Path blob = root.resolve("docker/registry/v2/blobs/sha256/a3/" + HEX + "/data");
        assertEquals("layer bytes", Files.readString(blob));
        assertEquals(List.of(blob), regularFiles());
    }

    @Test
    void servesADirectoryWrittenByAnotherRegistry() throws IOException {
        Path tag = root.resolve("docker/registry/v2/repositories/library/alpine/_manifests/tags/3.20/current/link");
        Files.createDirectories(tag.getParent());
        Files.writeString(tag, "sha256:" + HEX);
        FilesystemDriver driver = FilesystemDriver.at(root);

        String tags = "/docker/registry/v2/repositories/library/alpine/_manifests/tags";
        assertEquals(List.of(tags + "/3.20"), driver.list(tags));
        assertArrayEquals(("sha256:" + HEX).getBytes(UTF_8), driver.readSmall(tags + "/3.20/current/link", 100));
    }

    @Test
    void opensFilesForZeroCopySends() throws IOException {
        FilesystemDriver driver = FilesystemDriver.at(root);
        driver.writeSmall("/blob", "0123456789".getBytes(UTF_8));

        try (Content content = driver.open("/blob", 4)) {
            Content.OfFile file = assertInstanceOf(Content.OfFile.class, content);
            assertEquals(4, file.position());
            assertEquals(6, file.length());
            assertEquals(10, file.channel().size());
        }
    }

    @Test
    void abortedAppendTruncatesTheFileOnDisk() throws IOException {
        FilesystemDriver driver = FilesystemDriver.at(root);
        driver.writeSmall("/upload/data", "committed".getBytes(UTF_8));

        try (AppendWriter writer = driver.append("/upload/data")) {
            writer.write(ByteBuffer.allocateDirect(100_000));
            assertEquals(100_009, Files.size(root.resolve("upload/data")), "written in place, before commit");
        }

        assertEquals("committed", Files.readString(root.resolve("upload/data")));
    }

    @Test
    void hidesTemporaryFilesFromListings() throws IOException {
        FilesystemDriver driver = FilesystemDriver.at(root);
        driver.writeSmall("/dir/file", new byte[1]);
        Files.write(root.resolve("dir/.tmp-left-by-a-crash"), new byte[1]);

        assertEquals(List.of("/dir/file"), driver.list("/dir"));
    }

    @Test
    void refusesPathsOutsideTheRootEvenWhenUnchecked() {
        FilesystemDriver driver = FilesystemDriver.at(root.resolve("store"));

        assertThrows(IllegalArgumentException.class, () -> driver.readSmall("/../outside", 10));
        assertThrows(IllegalArgumentException.class, () -> driver.writeSmall("/a/../../outside", new byte[1]));
        assertThrows(IllegalArgumentException.class, () -> driver.delete("/a/.."));
        assertThrows(IOException.class, () -> driver.writeSmall("/", new byte[1]));
        assertTrue(Files.notExists(root.resolve("outside")));
    }

    @Test
    void createsTheRootWithTheFirstWriteAndKeepsItWhenEmptied() throws IOException {
        Path store = root.resolve("new/store");
        FilesystemDriver driver = FilesystemDriver.at(store);
        assertEquals(List.of(), driver.list("/"));

        driver.writeSmall("/docker/file", new byte[1]);
        driver.delete("/docker");

        assertTrue(Files.isDirectory(store));
        try (Stream<Path> entries = Files.list(store)) {
            assertEquals(0, entries.count());
        }
    }

    private List<Path> regularFiles() throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    /**
     * A hidden write's bytes go from a temporary file beside the staging path straight to the
     * target: the staging file itself never appears, and a commit whose rename fails (here: a
     * directory holds the target's name) leaves no temporary file behind once the writer closes.
     */
    @Test
    void aHiddenWriteRenamesItsTemporaryFileToTheTargetAndLeavesNothingWhenThatFails() throws Exception {
        FilesystemDriver driver = FilesystemDriver.at(root);
        Path session = root.resolve("uploads/u1");
        try (var writer = driver.writeHidden("/blobs/ab/data", "/uploads/u1/data", java.util.OptionalLong.of(5))) {
            writer.write(ByteBuffer.wrap("bytes".getBytes(UTF_8)));
            assertEquals(List.of(), namesIn(session, n -> !n.startsWith(FilesystemDriver.TEMP_PREFIX)),
                    "only a hidden temporary file while writing");
            writer.commitThenWriteInOrder(List.of(new org.stevedore.storage.SmallFile("/links/ab/link", "to ab".getBytes(UTF_8))));
        }
        assertEquals("bytes", Files.readString(root.resolve("blobs/ab/data")));
        assertEquals("to ab", Files.readString(root.resolve("links/ab/link")));
        assertEquals(List.of(), namesIn(session, n -> true), "the staging file never appears, nothing is left");

        Files.createDirectories(root.resolve("taken/data/inside"));
        try (var writer = driver.writeHidden("/taken/data", "/uploads/u2/data", java.util.OptionalLong.empty())) {
            writer.write(ByteBuffer.wrap("other".getBytes(UTF_8)));
            assertThrows(IOException.class, writer::commit, "a directory holds the target's name");
        }
        assertEquals(List.of(), namesIn(root.resolve("uploads/u2"), n -> true), "no temporary file is left");
        assertTrue(Files.isDirectory(root.resolve("taken/data/inside")));
    }

    private static List<String> namesIn(Path directory, java.util.function.Predicate<String> wanted) throws IOException {
        if (!Files.isDirectory(directory)) return List.of();
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.map(p -> p.getFileName().toString()).filter(wanted).sorted().toList();
        }
    }
}
