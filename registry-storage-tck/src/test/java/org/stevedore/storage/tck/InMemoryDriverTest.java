package org.stevedore.storage.tck;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.stevedore.storage.AppendWriter;
import org.stevedore.storage.Content;
import org.stevedore.storage.memory.InMemoryDriver;

/**
 * What the in-memory driver promises beyond the shared contract: it behaves like a filesystem
 * where backends may differ, so that code tested on it does not break on disk.
 */
class InMemoryDriverTest {
    private final InMemoryDriver driver = InMemoryDriver.create();

    @Test
    void commitFailsWhenTheFileWasDeletedMeanwhile() throws IOException {
        AppendWriter writer = driver.append("/uploads/u1/data");
        writer.write(ByteBuffer.wrap(bytes("late")));
        driver.delete("/uploads/u1");

        assertThrows(NoSuchFileException.class, writer::commit);
        assertEquals(Optional.empty(), driver.stat("/uploads/u1/data"), "a cancelled upload stays cancelled");
    }

    @Test
    void commitFailsWhenTheFileWasReplacedMeanwhile() throws IOException {
        AppendWriter writer = driver.append("/data");
        writer.write(ByteBuffer.wrap(bytes("mine")));
        driver.writeSmall("/data", bytes("theirs"));

        assertThrows(IOException.class, writer::commit);
        assertArrayEquals(bytes("theirs"), driver.readSmall("/data", 100));
    }

    @Test
    void refusesToWriteBelowAFile() throws IOException {
        driver.writeSmall("/a", bytes("file"));
        driver.writeSmall("/source", bytes("moved?"));

        assertThrows(IOException.class, () -> driver.writeSmall("/a/b", bytes("x")));
        assertThrows(IOException.class, () -> driver.append("/a/b/c"));
        assertThrows(IOException.class, () -> driver.move("/source", "/a/b"));
        assertArrayEquals(bytes("moved?"), driver.readSmall("/source", 100), "a refused move keeps its source");
    }

    @Test
    void refusesToWriteOverADirectory() throws IOException {
        driver.writeSmall("/dir/file", bytes("x"));

        assertThrows(IOException.class, () -> driver.writeSmall("/dir", bytes("y")));
        assertThrows(IOException.class, () -> driver.append("/dir"));
        assertTrue(driver.stat("/dir").orElseThrow().isDirectory());
    }

    @Test
    void rootIsAlwaysADirectory() {
        assertTrue(driver.stat("/").orElseThrow().isDirectory());
    }

    @Test
    void opensFilesAsStreams() throws IOException {
        driver.writeSmall("/file", bytes("0123456789"));

        try (Content content = driver.open("/file", 3)) {
            Content.OfStream stream = assertInstanceOf(Content.OfStream.class, content);
            assertEquals(7, stream.length());
            assertArrayEquals(bytes("3456789"), stream.stream().readAllBytes());
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(UTF_8);
    }
}
