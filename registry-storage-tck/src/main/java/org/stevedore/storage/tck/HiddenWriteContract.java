package org.stevedore.storage.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.stevedore.storage.HiddenWriter;
import org.stevedore.storage.SmallFile;

/**
 * Part of {@link StorageDriverContract}: {@link org.stevedore.storage.StorageDriver#writeHidden},
 * a whole file that appears at its path only on commit (a blob pushed in one request). Nothing
 * shows at the path before the commit, closing without one discards the write, deleting the
 * staging directory discards a write nobody closed, and a commit replaces what was there. Sizes
 * cross the part sizes of chunked backends (S3's 5 MiB minimum), so several parts are in play.
 * Extend {@code StorageDriverContract}, not this class.
 */
public abstract class HiddenWriteContract extends ExclusiveCreateContract {
    private static final int LARGE_BYTES = 12 * 1024 * 1024 + 4093;
    private static final String TARGET = path("blobs/ab/data");
    private static final String STAGING = path("uploads/u1/data");

    @Test
    void hiddenWriteAppearsWholeOnlyOnCommit() throws IOException {
        byte[] bytes = randomBytes(LARGE_BYTES, 7);
        try (HiddenWriter writer = driver.writeHidden(TARGET, STAGING, OptionalLong.empty())) {
            writeInChunks(writer, bytes);
            assertEquals(LARGE_BYTES, writer.size());
            assertEquals(Optional.empty(), driver.stat(TARGET), "an uncommitted hidden write must not show");
            assertEquals(List.of(), driver.list(path("blobs/ab")), "an uncommitted hidden write must not be listed");
            writer.commit();
        }
        assertArrayEquals(bytes, read(TARGET, 0));
        assertEquals(LARGE_BYTES, driver.stat(TARGET).orElseThrow().size());
        assertEquals(List.of(), driver.list(path("uploads/u1")), "a committed hidden write leaves nothing staged");
    }

    @Test
    void hiddenWriteOfAnnouncedSizeAppearsWholeOnlyOnCommit() throws IOException {
        byte[] bytes = randomBytes(LARGE_BYTES, 13);
        try (HiddenWriter writer = driver.writeHidden(TARGET, STAGING, OptionalLong.of(LARGE_BYTES))) {
            writeInChunks(writer, bytes);
            assertEquals(Optional.empty(), driver.stat(TARGET), "an uncommitted hidden write must not show");
            writer.commit();
        }
        assertArrayEquals(bytes, read(TARGET, 0));
        assertEquals(List.of(), driver.list(path("uploads/u1")), "a committed hidden write leaves nothing staged");
    }

    @Test
    void hiddenWritesShortOfOrClosedBeforeTheirAnnouncedSizeLeaveNothing() throws IOException {
        try (HiddenWriter writer = driver.writeHidden(TARGET, STAGING, OptionalLong.of(LARGE_BYTES))) {
            writeInChunks(writer, randomBytes(LARGE_BYTES - 1, 14));
            assertThrows(IOException.class, writer::commit, "a commit short of the announced size must fail");
        }
        assertEquals(Optional.empty(), driver.stat(TARGET));
        try (HiddenWriter writer = driver.writeHidden(TARGET, path("uploads/u2/data"), OptionalLong.of(LARGE_BYTES))) {
            writeInChunks(writer, randomBytes(LARGE_BYTES, 15));
        }
        assertEquals(Optional.empty(), driver.stat(TARGET), "a write closed without commit must not show");
    }

    @Test
    void hiddenWriteClosedWithoutCommitLeavesThePathAsItWas() throws IOException {
        try (HiddenWriter writer = driver.writeHidden(TARGET, STAGING, OptionalLong.empty())) {
            writeInChunks(writer, randomBytes(LARGE_BYTES, 8));
        }
        assertEquals(Optional.empty(), driver.stat(TARGET));
        driver.writeSmall(TARGET, utf8("old"));
        try (HiddenWriter writer = driver.writeHidden(TARGET, path("uploads/u2/data"), OptionalLong.empty())) {
            writeInChunks(writer, randomBytes(LARGE_BYTES, 9));
        }
        assertArrayEquals(utf8("old"), read(TARGET, 0), "a discarded hidden write must not touch the file there");
    }

    @Test
    void hiddenWriteCommitReplacesTheFileThere() throws IOException {
        driver.writeSmall(TARGET, utf8("old bytes"));
        byte[] small = utf8("new");
        try (HiddenWriter writer = driver.writeHidden(TARGET, STAGING, OptionalLong.empty())) {
            writer.write(ByteBuffer.wrap(small));
            writer.commit();
        }
        assertArrayEquals(small, read(TARGET, 0));
        byte[] large = randomBytes(LARGE_BYTES, 10);
        try (HiddenWriter writer = driver.writeHidden(TARGET, path("uploads/u2/data"), OptionalLong.empty())) {
            writeInChunks(writer, large);
            writer.commit();
        }
        assertArrayEquals(large, read(TARGET, 0));
    }

    @Test
    void commitThenWriteInOrderPublishesTheFileThenWritesEveryFile() throws IOException {
        byte[] bytes = randomBytes(LARGE_BYTES, 16);
        driver.writeSmall(path("links/old"), utf8("old"));
        List<SmallFile> links = List.of(new SmallFile(path("links/new/deeper/link"), utf8("to blob")),
                new SmallFile(path("links/old"), utf8("replaced")));
        try (HiddenWriter writer = driver.writeHidden(TARGET, STAGING, OptionalLong.of(LARGE_BYTES))) {
            writeInChunks(writer, bytes);
            assertEquals(Optional.empty(), driver.stat(TARGET), "an uncommitted hidden write must not show");
            writer.commitThenWriteInOrder(links);
        }
        assertArrayEquals(bytes, read(TARGET, 0));
        for (SmallFile link : links) assertArrayEquals(link.bytes(), driver.readSmall(link.path(), 100), link.path());
        assertEquals(List.of(TARGET), driver.list(path("blobs/ab")), "no temporary file is listed");
        assertEquals(List.of(path("links/new/deeper/link")), driver.list(path("links/new/deeper")),
                "no temporary file is listed");
        assertEquals(List.of(), driver.list(path("uploads/u1")), "a committed hidden write leaves nothing staged");
    }

    @Test
    void commitThenWriteInOrderShortOfTheAnnouncedSizeWritesNothing() throws IOException {
        try (HiddenWriter writer = driver.writeHidden(TARGET, STAGING, OptionalLong.of(LARGE_BYTES))) {
            writeInChunks(writer, randomBytes(LARGE_BYTES - 1, 17));
            assertThrows(IOException.class, () -> writer.commitThenWriteInOrder(
                    List.of(new SmallFile(path("links/link"), utf8("to nothing")))),
                    "a commit short of the announced size must fail");
        }
        assertEquals(Optional.empty(), driver.stat(TARGET));
        assertEquals(Optional.empty(), driver.stat(path("links/link")), "no file may follow a failed commit");
    }

    @Test
    void emptyHiddenWriteCommitsAnEmptyFile() throws IOException {
        try (HiddenWriter writer = driver.writeHidden(TARGET, STAGING, OptionalLong.empty())) {
            writer.commit();
        }
        assertEquals(0, driver.stat(TARGET).orElseThrow().size());
        assertArrayEquals(new byte[0], read(TARGET, 0));
    }

    @Test
    void deletingTheStagingDirectoryDiscardsAnAbandonedHiddenWrite() throws IOException {
        // A node killed mid-write never closes its writer; another node purges the session.
        HiddenWriter abandoned = driver.writeHidden(TARGET, STAGING, OptionalLong.empty());
        try {
            writeInChunks(abandoned, randomBytes(LARGE_BYTES, 11));
            driver.delete(path("uploads/u1"));
            assertEquals(Optional.empty(), driver.stat(TARGET));
            assertEquals(List.of(), driver.list(path("uploads")));
        } finally {
            abandoned.close();
        }
        assertEquals(Optional.empty(), driver.stat(TARGET), "closing after the purge must not publish anything");
    }

    @Test
    void twoHiddenWritesOfTheSameBytesBothCommit() throws IOException {
        byte[] bytes = randomBytes(LARGE_BYTES, 12);
        try (HiddenWriter first = driver.writeHidden(TARGET, STAGING, OptionalLong.empty());
             HiddenWriter second = driver.writeHidden(TARGET, path("uploads/u2/data"), OptionalLong.empty())) {
            writeInChunks(first, bytes);
            writeInChunks(second, bytes);
            first.commit();
            assertArrayEquals(bytes, read(TARGET, 0));
            second.commit();
        }
        assertArrayEquals(bytes, read(TARGET, 0));
        assertTrue(driver.list(path("uploads")).stream().allMatch(d -> {
            try {
                return driver.list(d).isEmpty();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }), "nothing staged is left after both commits");
    }

    /** Odd-sized chunks, in heap and direct buffers, as the HTTP layer hands them over. */
    private static void writeInChunks(HiddenWriter writer, byte[] bytes) throws IOException {
        int[] sizes = {65_537, 1_000_003, 7, 300_007};
        for (int offset = 0, i = 0; offset < bytes.length; i++) {
            int n = Math.min(sizes[i % sizes.length], bytes.length - offset);
            ByteBuffer buffer = i % 2 == 0 ? ByteBuffer.wrap(bytes, offset, n)
                    : ByteBuffer.allocateDirect(n).put(bytes, offset, n).flip();
            writer.write(buffer);
            assertTrue(!buffer.hasRemaining(), "write must take every byte");
            offset += n;
        }
    }
}
