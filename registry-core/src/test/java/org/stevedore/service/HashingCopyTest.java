package org.stevedore.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.stevedore.storage.AppendWriter;
import org.stevedore.storage.Content;
import org.stevedore.storage.memory.InMemoryDriver;

/**
 * {@link HashingCopy} on its own, where a test can see what HTTP hides: that a failure on either
 * side (body or storage) ends the copy with that failure and gives the overlapping capacity back,
 * and that more bodies than {@link HashingCopy#PIPELINES} at once are copied exactly too.
 */
class HashingCopyTest {
    private static final int MIB = 1024 * 1024;

    private final InMemoryDriver driver = InMemoryDriver.create();

    @AfterEach
    void everyPipelineIsFreeAgain() {
        assertEquals(HashingCopy.PIPELINES, HashingCopy.idlePipelines());
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] stored(String path) throws IOException {
        try (Content content = driver.open(path, 0); InputStream in = content.asStream()) {
            return in.readAllBytes();
        }
    }

    /** A body that returns at most the given sizes per read, in turn, and can fail after some bytes. */
    private static final class Body implements ReadableByteChannel {
        private final ByteBuffer bytes;
        private final int[] readSizes;
        private final long failAfter;
        private int reads;

        Body(byte[] bytes, long failAfter, int... readSizes) {
            this.bytes = ByteBuffer.wrap(bytes);
            this.readSizes = readSizes;
            this.failAfter = failAfter;
        }

        @Override
        public int read(ByteBuffer destination) throws IOException {
            if (bytes.position() >= failAfter) throw new IOException("client went away");
            if (!bytes.hasRemaining()) return -1;
            int n = (int) Math.min(Math.min(readSizes[reads++ % readSizes.length], destination.remaining()),
                    Math.min(bytes.remaining(), failAfter - bytes.position()));
            destination.put(bytes.slice(bytes.position(), n));
            bytes.position(bytes.position() + n);
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

    /** SHA-256 that notes which threads fed it. */
    private static final class RecordingDigest extends MessageDigest {
        private final MessageDigest sha256 = sha256();
        final java.util.Set<String> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();

        RecordingDigest() throws Exception {
            super("SHA-256");
        }

        @Override
        protected void engineUpdate(byte input) {
            threads.add(Thread.currentThread().getName());
            sha256.update(input);
        }

        @Override
        protected void engineUpdate(byte[] input, int offset, int len) {
            threads.add(Thread.currentThread().getName());
            sha256.update(input, offset, len);
        }

        @Override
        protected byte[] engineDigest() {
            return sha256.digest();
        }

        @Override
        protected void engineReset() {
            sha256.reset();
        }
    }

    /** A writer that fails once it holds {@code limit} bytes, as a full disk does. */
    private static final class FillingWriter implements AppendWriter {
        private final AppendWriter delegate;
        private final long limit;

        FillingWriter(AppendWriter delegate, long limit) {
            this.delegate = delegate;
            this.limit = limit;
        }

        @Override
        public long size() {
            return delegate.size();
        }

        @Override
        public void write(ByteBuffer source) throws IOException {
            if (delegate.size() + source.remaining() > limit) throw new IOException("no space left on device");
            delegate.write(source);
        }

        @Override
        public void commit() throws IOException {
            delegate.commit();
        }

        @Override
        public void cancel() throws IOException {
            delegate.cancel();
        }

        @Override
        public void close() throws IOException {
            delegate.close();
        }
    }

    @Test
    void oddReadsOfALongBodyAreHashedAndStoredExactly() throws Exception {
        byte[] content = random(9 * MIB + 4_321, 1);
        RecordingDigest digest = new RecordingDigest();
        try (AppendWriter writer = driver.append("odd")) {
            assertEquals(content.length, HashingCopy.copy(new Body(content, Long.MAX_VALUE, 1, 4_095, MIB + 1, 77_777),
                    digest, writer, () -> true));
            writer.commit();
        }
        assertArrayEquals(sha256().digest(content), digest.digest());
        assertArrayEquals(content, stored("odd"));
        assertTrue(digest.threads.stream().anyMatch(name -> name.startsWith("stevedore-upload-hash-")),
                () -> "hashed on " + digest.threads);
    }

    @Test
    void aLongBodyWithoutASpareCoreIsCopiedOnTheCallingThread() throws Exception {
        byte[] content = random(4 * MIB + 1, 5);
        RecordingDigest digest = new RecordingDigest();
        String caller = Thread.currentThread().getName();
        List<String> askedOn = new ArrayList<>();
        try (AppendWriter writer = driver.append("declined")) {
            assertEquals(content.length, HashingCopy.copy(new Body(content, Long.MAX_VALUE, 300_000), digest, writer,
                    () -> {
                        askedOn.add(Thread.currentThread().getName());
                        return false;
                    }));
            writer.commit();
        }
        assertEquals(List.of(caller), askedOn, "asked once, when the body proved longer than a slice");
        assertEquals(java.util.Set.of(caller), digest.threads);
        assertArrayEquals(sha256().digest(content), digest.digest());
        assertArrayEquals(content, stored("declined"));
    }

    @Test
    void bodiesOfAtMostOneSliceAndEmptyOnesAreCopiedToo() throws Exception {
        for (int size : new int[] {0, 1, HashingCopy.SLICE_BYTES - 1, HashingCopy.SLICE_BYTES, HashingCopy.SLICE_BYTES + 1}) {
            byte[] content = random(size, size);
            MessageDigest digest = sha256();
            try (AppendWriter writer = driver.append("small-" + size)) {
                assertEquals(size, HashingCopy.copy(new Body(content, Long.MAX_VALUE, 65_536), digest, writer, () -> true));
                writer.commit();
            }
            assertArrayEquals(sha256().digest(content), digest.digest(), "size " + size);
            assertArrayEquals(content, stored("small-" + size), "size " + size);
        }
    }

    @Test
    void aBodyFailingAfterSeveralSlicesEndsTheCopyWithItsFailure() throws Exception {
        byte[] content = random(8 * MIB, 2);
        try (AppendWriter writer = driver.append("broken-body")) {
            IOException failure = assertThrows(IOException.class, () -> HashingCopy.copy(
                    new Body(content, 5 * MIB + 3, 100_000), sha256(), writer, () -> true));
            assertEquals("client went away", failure.getMessage());
        }
        assertEquals(0, driver.stat("broken-body").map(info -> info.size()).orElse(0L));
    }

    @Test
    void aStorageFailureEndsTheCopyWithItsFailure() throws Exception {
        byte[] content = random(8 * MIB, 3);
        try (AppendWriter writer = new FillingWriter(driver.append("full-disk"), 3 * MIB + 5)) {
            IOException failure = assertThrows(IOException.class, () -> HashingCopy.copy(
                    new Body(content, Long.MAX_VALUE, MIB), sha256(), writer, () -> true));
            assertEquals("no space left on device", failure.getMessage());
        }
    }

    @Test
    void moreBodiesThanPipelinesAtOnceAreEachCopiedExactly() throws Exception {
        int bodies = HashingCopy.PIPELINES + 3;
        CountDownLatch allStarted = new CountDownLatch(bodies);
        ExecutorService pool = Executors.newFixedThreadPool(bodies);
        try {
            List<byte[]> contents = new ArrayList<>();
            List<Future<byte[]>> digests = new ArrayList<>();
            for (int i = 0; i < bodies; i++) {
                byte[] content = random(3 * MIB + i, 10 + i);
                contents.add(content);
                String path = "concurrent-" + i;
                // Every body holds back its rest until all have begun, so all copies overlap.
                Body rest = new Body(content, Long.MAX_VALUE, 131_072);
                ReadableByteChannel body = new ReadableByteChannel() {
                    private boolean first = true;

                    @Override
                    public int read(ByteBuffer destination) throws IOException {
                        if (!first) return rest.read(destination);
                        first = false;
                        allStarted.countDown();
                        try {
                            if (!allStarted.await(30, TimeUnit.SECONDS)) throw new IOException("not all bodies started");
                        } catch (InterruptedException e) {
                            throw new IOException(e);
                        }
                        return rest.read(destination);
                    }

                    @Override
                    public boolean isOpen() {
                        return true;
                    }

                    @Override
                    public void close() {
                    }
                };
                digests.add(pool.submit(() -> {
                    MessageDigest digest = sha256();
                    try (AppendWriter writer = driver.append(path)) {
                        HashingCopy.copy(body, digest, writer, () -> true);
                        writer.commit();
                    }
                    return digest.digest();
                }));
            }
            for (int i = 0; i < bodies; i++) {
                assertArrayEquals(sha256().digest(contents.get(i)), digests.get(i).get(60, TimeUnit.SECONDS), "body " + i);
                assertArrayEquals(contents.get(i), stored("concurrent-" + i), "body " + i);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aDigestCarriesOnFromTheStateItHad() throws Exception {
        byte[] content = random(5 * MIB + 9, 4);
        MessageDigest digest = sha256();
        digest.update(content, 0, 1000);
        try (AppendWriter writer = driver.append("resumed")) {
            HashingCopy.copy(new Body(Arrays.copyOfRange(content, 1000, content.length), Long.MAX_VALUE, MIB),
                    digest, writer, () -> true);
            writer.commit();
        }
        assertArrayEquals(sha256().digest(content), digest.digest());
    }
}
