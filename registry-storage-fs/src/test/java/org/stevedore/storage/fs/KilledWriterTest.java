package org.stevedore.storage.fs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stevedore.storage.AppendWriter;
import org.stevedore.storage.Content;

/**
 * A process killed while a writer is open (SIGKILL: no close, no truncate) leaves bytes no client
 * was told about. A new driver over the same directory, as after a restart, must continue after
 * the last committed byte and never pass those bytes on.
 */
class KilledWriterTest {
    @TempDir
    Path root;

    @Test
    void writerOfANewFileKilledBeforeCommitLeavesNoFile() throws IOException {
        FilesystemDriver before = FilesystemDriver.at(root);
        AppendWriter killed = before.append("/up/data");
        killed.write(ByteBuffer.wrap(new byte[5000]));
        // never closed: the process is gone

        FilesystemDriver after = FilesystemDriver.at(root);
        assertTrue(after.stat("/up/data").isEmpty(), "uncommitted bytes of a new file stay aside");
        try (AppendWriter writer = after.append("/up/data")) {
            assertEquals(0, writer.size());
            writer.write(ByteBuffer.wrap("fresh".getBytes(UTF_8)));
            writer.commit();
        }
        assertEquals("fresh", read(after, "/up/data"));
        after.delete("/up");
        killed.close();
        assertNothingOnDisk();
    }

    @Test
    void nextWriterCutsOffWhatAKilledInPlaceWriterLeft() throws IOException {
        FilesystemDriver before = FilesystemDriver.at(root);
        append(before, "/up/data", "first;");
        append(before, "/up/data", "second;");
        AppendWriter killed = before.append("/up/data");
        killed.write(ByteBuffer.wrap("never acknowledged".getBytes(UTF_8)));
        // The kill: the writer neither commits nor truncates; the bytes stay in the file.
        assertEquals(31, Files.size(root.resolve("up/data")));

        FilesystemDriver after = FilesystemDriver.at(root);
        assertEquals(13, after.stat("/up/data").orElseThrow().size(), "stat counts committed bytes only");
        assertEquals("first;second;", read(after, "/up/data"));
        try (AppendWriter writer = after.append("/up/data")) {
            assertEquals(13, writer.size(), "continues after the last committed byte");
            writer.write(ByteBuffer.wrap("third".getBytes(UTF_8)));
            writer.commit();
        }
        assertEquals("first;second;third", read(after, "/up/data"));
        killed.close();
        after.delete("/up");
        assertNothingOnDisk();
    }

    @Test
    void moveCarriesOnlyCommittedBytes() throws IOException {
        FilesystemDriver before = FilesystemDriver.at(root);
        append(before, "/up/data", "first;");
        append(before, "/up/data", "second;");
        // What a kill mid-append leaves: bytes past the recorded committed size.
        Files.write(root.resolve("up/data"), "garbage".getBytes(UTF_8), StandardOpenOption.APPEND);

        FilesystemDriver after = FilesystemDriver.at(root);
        after.move("/up/data", "/blobs/data");
        assertEquals("first;second;", read(after, "/blobs/data"));
        assertEquals(List.of(), after.list("/up"), "the record went with the move");
        try (AppendWriter writer = after.append("/blobs/data")) {
            assertEquals(13, writer.size());
        }
        after.delete("/blobs");
        after.delete("/up"); // a move leaves its source directory, as before
        assertNothingOnDisk();
    }

    @Test
    void deletedDirectoryLeavesListingsAtOnceAndNewDirectoriesArriveWithTheirFile() throws IOException {
        FilesystemDriver driver = FilesystemDriver.at(root);
        driver.writeSmall("/repo/tags/v1/current/link", "sha256:1".getBytes(UTF_8));
        driver.writeSmall("/repo/tags/v1/index/sha256/1/link", "sha256:1".getBytes(UTF_8));
        assertEquals(List.of("/repo/tags/v1"), driver.list("/repo/tags"));
        try (Stream<Path> files = Files.walk(root)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().startsWith(".tmp-")), "no staging left");
        }

        driver.delete("/repo/tags/v1");

        assertEquals(List.of(), driver.list("/repo/tags"));
        assertNothingOnDisk();
    }

    private static void append(FilesystemDriver driver, String path, String text) throws IOException {
        try (AppendWriter writer = driver.append(path)) {
            writer.write(ByteBuffer.wrap(text.getBytes(UTF_8)));
            writer.commit();
        }
    }

    private static String read(FilesystemDriver driver, String path) throws IOException {
        try (Content content = driver.open(path, 0)) {
            return new String(content.asStream().readNBytes((int) content.length()), UTF_8);
        }
    }

    private void assertNothingOnDisk() throws IOException {
        try (Stream<Path> left = Files.walk(root)) {
            assertEquals(List.of(root), left.toList(), "nothing but the root is left on disk");
        }
    }
}
