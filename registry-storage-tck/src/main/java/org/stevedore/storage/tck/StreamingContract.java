package org.stevedore.storage.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.stevedore.storage.AppendWriter;
import org.stevedore.storage.Content;
import org.stevedore.storage.FileInfo;

/**
 * Part of {@link StorageDriverContract}: appending (large files, resuming, discarding, cancelling)
 * and reading from an offset. Extend {@code StorageDriverContract}, not this class.
 */
public abstract class StreamingContract extends HiddenWriteContract {

    private static final int LARGE_FILE_BYTES = 20 * 1024 * 1024;
    /** Odd sizes, so no chunk lines up with a buffer, block or part boundary of any backend. */
    private static final int[] CHUNK_SIZES = {1, 7, 4093, 65_537, 1_000_003, 300_007, 8191};

    // ---- append

    @Test
    void appendCreatesFileAndParents() throws IOException {
        try (AppendWriter writer = driver.append(path("uploads/u1/data"))) {
            assertEquals(0, writer.size());
            writer.write(ByteBuffer.wrap(utf8("hello")));
            assertEquals(5, writer.size());
            writer.commit();
        }

        assertArrayEquals(utf8("hello"), read(path("uploads/u1/data"), 0));
        assertEquals(5, driver.stat(path("uploads/u1/data")).orElseThrow().size());
    }

    @Test
    void writesLargeFileInOddSizedChunks() throws IOException {
        MessageDigest written = newSha256();
        Random random = new Random(42);
        long size = 0;
        try (AppendWriter writer = driver.append(path("big"))) {
            for (int i = 0; size < LARGE_FILE_BYTES; i++) {
                byte[] chunk = new byte[(int) Math.min(CHUNK_SIZES[i % CHUNK_SIZES.length], LARGE_FILE_BYTES - size)];
                random.nextBytes(chunk);
                written.update(chunk);
                // Both kinds of buffer: the HTTP layer hands over direct ones.
                ByteBuffer buffer = i % 2 == 0 ? ByteBuffer.wrap(chunk) : ByteBuffer.allocateDirect(chunk.length).put(chunk).flip();
                writer.write(buffer);
                assertFalse(buffer.hasRemaining(), "write consumes the whole buffer");
                size += chunk.length;
                assertEquals(size, writer.size());
            }
            writer.commit();
        }

        assertEquals(LARGE_FILE_BYTES, driver.stat(path("big")).orElseThrow().size());
        try (Content content = driver.open(path("big"), 0); InputStream in = content.asStream()) {
            assertEquals(LARGE_FILE_BYTES, content.length());
            Hashed read = sha256(in);
            assertEquals(LARGE_FILE_BYTES, read.size());
            assertEquals(HexFormat.of().formatHex(written.digest()), read.sha256());
        }
    }

    @Test
    void resumesAppendAfterCommit() throws IOException {
        byte[] first = randomBytes(100_000, 11);
        byte[] second = randomBytes(50_001, 12);
        appendAndCommit(path("data"), first);

        try (AppendWriter writer = driver.append(path("data"))) {
            assertEquals(first.length, writer.size(), "a new writer continues after the last committed byte");
            writer.write(ByteBuffer.wrap(second));
            assertEquals(first.length + second.length, writer.size());
            writer.commit();
        }

        assertArrayEquals(concat(first, second), read(path("data"), 0));
        assertEquals(first.length + second.length, driver.stat(path("data")).orElseThrow().size());
    }

    @Test
    void closeWithoutCommitDiscardsThisWritersBytes() throws IOException {
        byte[] committed = randomBytes(30_000, 13);
        byte[] later = randomBytes(999, 15);
        appendAndCommit(path("data"), committed);

        AppendWriter abandoned = driver.append(path("data"));
        abandoned.write(ByteBuffer.wrap(randomBytes(70_000, 14)));
        assertEquals(100_000, abandoned.size());
        abandoned.close();
        abandoned.close(); // idempotent

        assertArrayEquals(committed, read(path("data"), 0));
        assertEquals(committed.length, driver.stat(path("data")).orElseThrow().size());
        try (AppendWriter writer = driver.append(path("data"))) {
            assertEquals(committed.length, writer.size(), "the next writer starts where the last commit ended");
            writer.write(ByteBuffer.wrap(later));
            writer.commit();
        }
        assertArrayEquals(concat(committed, later), read(path("data"), 0));
    }

    @Test
    void abandonedAppendToNewFileLeavesNoBytes() throws IOException {
        try (AppendWriter writer = driver.append(path("uploads/u2/data"))) {
            writer.write(ByteBuffer.wrap(randomBytes(5000, 16)));
        }

        Optional<FileInfo> info = driver.stat(path("uploads/u2/data"));
        assertTrue(info.isEmpty() || info.get().size() == 0, "missing or empty, got " + info);
    }

    @Test
    void writerRefusesWritesAfterCommit() throws IOException {
        AppendWriter writer = driver.append(path("data"));
        writer.write(ByteBuffer.wrap(utf8("kept")));
        writer.commit();

        assertThrows(IOException.class, () -> writer.write(ByteBuffer.wrap(utf8("too late"))));
        writer.close();
        assertArrayEquals(utf8("kept"), read(path("data"), 0));
    }

    @Test
    void cancelDeletesTheFile() throws IOException {
        appendAndCommit(path("uploads/u3/data"), randomBytes(10_000, 17));

        AppendWriter writer = driver.append(path("uploads/u3/data"));
        writer.write(ByteBuffer.wrap(randomBytes(500, 18)));
        writer.cancel();
        writer.close(); // closing a cancelled writer is harmless

        assertEquals(Optional.empty(), driver.stat(path("uploads/u3/data")));
        assertThrows(NoSuchFileException.class, () -> driver.open(path("uploads/u3/data"), 0).close());
    }

    @Test
    void writesHeapDirectAndReadOnlyBuffersFromTheirPosition() throws IOException {
        ByteBuffer heap = ByteBuffer.wrap(utf8("skip-keep-ignored"), 5, 4); // "keep"
        ByteBuffer direct = ByteBuffer.allocateDirect(32).put(utf8("xx-direct-yy"));
        direct.limit(9).position(2); // "-direct"
        ByteBuffer readOnly = ByteBuffer.wrap(utf8("-ro")).asReadOnlyBuffer();

        try (AppendWriter writer = driver.append(path("data"))) {
            for (ByteBuffer buffer : new ByteBuffer[] {heap, direct, readOnly}) {
                writer.write(buffer);
                assertFalse(buffer.hasRemaining(), "write consumes all remaining bytes");
            }
            writer.commit();
        }

        assertArrayEquals(utf8("keep-direct-ro"), read(path("data"), 0));
    }

    @Test
    void commitOfNothingKeepsTheFile() throws IOException {
        appendAndCommit(path("data"), utf8("as before"));

        appendAndCommit(path("data"));

        assertArrayEquals(utf8("as before"), read(path("data"), 0));
    }

    // ---- open

    @Test
    void opensFromAnyOffset() throws IOException {
        byte[] bytes = randomBytes(10_000, 19);
        driver.writeSmall(path("file"), bytes);

        for (int offset : new int[] {0, 1, 4999, 9999}) {
            assertArrayEquals(Arrays.copyOfRange(bytes, offset, bytes.length), read(path("file"), offset), "offset " + offset);
        }
    }

    @Test
    void contentReadsAsStreamWithItsExactLength() throws IOException {
        byte[] bytes = randomBytes(300_000, 20);
        appendAndCommit(path("file"), bytes);

        for (int offset : new int[] {0, 123_457}) {
            try (Content content = driver.open(path("file"), offset); InputStream in = content.asStream()) {
                assertEquals(bytes.length - offset, content.length());
                assertArrayEquals(Arrays.copyOfRange(bytes, offset, bytes.length), in.readAllBytes(), "offset " + offset);
            }
        }
    }

    @Test
    void openAtEndGivesEmptyContent() throws IOException {
        driver.writeSmall(path("file"), randomBytes(100, 21));
        driver.writeSmall(path("empty"), new byte[0]);

        for (String[] pathAndOffset : new String[][] {{"file", "100"}, {"empty", "0"}}) {
            try (Content content = driver.open(path(pathAndOffset[0]), Long.parseLong(pathAndOffset[1]))) {
                assertEquals(0, content.length());
                assertEquals(-1, content.asStream().read(), "nothing to read");
            }
        }
    }

    @Test
    void openPastEndThrowsEof() throws IOException {
        driver.writeSmall(path("file"), randomBytes(100, 22));

        assertThrows(EOFException.class, () -> driver.open(path("file"), 101).close());
        assertThrows(EOFException.class, () -> driver.open(path("file"), Long.MAX_VALUE).close());
    }

    @Test
    void openOfMissingFileThrowsNoSuchFile() {
        assertThrows(NoSuchFileException.class, () -> driver.open(path("missing"), 0).close());
        assertThrows(NoSuchFileException.class, () -> driver.open(path("missing/below"), 0).close());
    }

    @Test
    void openSeesEveryCommittedAppend() throws IOException {
        byte[] first = randomBytes(1000, 23);
        byte[] second = randomBytes(2000, 24);
        appendAndCommit(path("file"), first);
        assertArrayEquals(first, read(path("file"), 0));

        appendAndCommit(path("file"), second);

        assertArrayEquals(second, read(path("file"), first.length));
        assertArrayEquals(concat(first, second), read(path("file"), 0));
    }
}
