package org.stevedore.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.security.MessageDigest;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.stevedore.internal.io.Buffers;
import org.stevedore.storage.AppendWriter;
import org.stevedore.storage.StorageDriver;
import org.stevedore.storage.memory.InMemoryDriver;

/** Bytes and digest of a body copied with the hash on a second thread, whatever the sizes of the reads. */
class HashingCopyTest {
    private static final int SLICE = HashingCopy.SLICE_BYTES;

    /** Gives the body out in reads of varying size, as a socket does. */
    private static final class Trickle implements ReadableByteChannel {
        private final byte[] bytes;
        private final Random sizes = new Random(3);
        private final int failAt;
        private int position;

        Trickle(byte[] bytes, int failAt) {
            this.bytes = bytes;
            this.failAt = failAt;
        }

        @Override
        public int read(ByteBuffer destination) throws IOException {
            if (position >= failAt) throw new IOException("client went away");
            if (position == bytes.length) return -1;
            int n = Math.min(Math.min(destination.remaining(), 1 + sizes.nextInt(100_000)), bytes.length - position);
            n = Math.min(n, failAt - position);
            destination.put(bytes, position, n);
            position += n;
            return n;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, SLICE - 1, SLICE, SLICE + 1, Buffers.COPY_BUFFER_BYTES, Buffers.COPY_BUFFER_BYTES + 1,
            5 * 1024 * 1024 + 3})
    void storesAndHashesEveryByteInOrder(int size) throws Exception {
        byte[] content = new byte[size];
        new Random(size).nextBytes(content);
        StorageDriver driver = InMemoryDriver.create();
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (AppendWriter writer = driver.append("/blob")) {
            assertEquals(size, HashingCopy.copy(new Trickle(content, Integer.MAX_VALUE), writer, digest));
            writer.commit();
        }
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(content), digest.digest());
        assertArrayEquals(content, driver.readSmall("/blob", Integer.MAX_VALUE));
    }

    @ParameterizedTest
    @ValueSource(ints = {10, SLICE + 10, 3 * 1024 * 1024})
    void aBodyFailingMidwayFailsTheCopyAndTheNextCopyOnThisThreadIsSound(int failAt) throws Exception {
        byte[] content = new byte[4 * 1024 * 1024];
        new Random(failAt).nextBytes(content);
        StorageDriver driver = InMemoryDriver.create();
        try (AppendWriter writer = driver.append("/broken")) {
            IOException e = assertThrows(IOException.class, () -> HashingCopy.copy(new Trickle(content, failAt), writer,
                    MessageDigest.getInstance("SHA-256")));
            assertEquals("client went away", e.getMessage());
        }
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (AppendWriter writer = driver.append("/whole")) {
            HashingCopy.copy(new Trickle(content, Integer.MAX_VALUE), writer, digest);
            writer.commit();
        }
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(content), digest.digest());
        assertArrayEquals(content, driver.readSmall("/whole", Integer.MAX_VALUE));
    }
}
