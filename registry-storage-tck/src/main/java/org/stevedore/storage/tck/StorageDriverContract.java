package org.stevedore.storage.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.stevedore.storage.AppendWriter;
import org.stevedore.storage.Content;
import org.stevedore.storage.SmallFile;
import org.stevedore.storage.StorageDriver;

/**
 * The suite every {@link StorageDriver} must pass: one subclass per backend supplies
 * {@link #newDriver()}, and the driver is done when every test passes, with no skips.
 *
 * <pre>{@code
 * class FilesystemDriverContractTest extends StorageDriverContract {
 *     @TempDir Path root;
 *
 *     @Override
 *     protected StorageDriver newDriver() {
 *         return FilesystemDriver.at(root);
 *     }
 * }
 * }</pre>
 *
 * Each test gets a new driver over empty storage, wrapped in a
 * {@link org.stevedore.storage.CheckedDriver} as in the registry, and writes only below
 * {@link #TCK_ROOT}; after each test the suite deletes everything and checks that nothing was left
 * behind. {@link #closeDriver} releases a backend's resources afterwards.
 *
 * <p>The tests are split by topic over a short chain of classes so that each stays readable:
 * {@link FileOperationsContract} (small files, stat, move, delete, list, paths),
 * {@link StreamingContract} (append, resume, discard, cancel, offsets), {@link HiddenWriteContract}
 * (whole files hidden until commit),
 * {@link SmallWriteContract} (ordered, unsynced and marker writes) and this class (concurrency). What the suite does not require, because backends legitimately differ: whether
 * readers see a writer's bytes before its commit, and whether an abandoned append to a new file
 * leaves an empty file or none.
 */
public abstract class StorageDriverContract extends SmallWriteContract {

    private static final long TIMEOUT_SECONDS = 120;

    @Test
    void concurrentWritersAndReadersKeepFilesApart() throws Exception {
        int writers = 8;
        int filesPerWriter = 10;
        int readers = 4;
        List<Map.Entry<String, String>> published = new CopyOnWriteArrayList<>();
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger verifiedWhileWriting = new AtomicInteger();
        // Writers pause halfway until every reader has checked a file, so reads provably
        // overlap writes however fast the backend is.
        CountDownLatch everyReaderRead = new CountDownLatch(readers);

        List<Callable<Void>> writerTasks = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            writerTasks.add(() -> {
                for (int f = 0; f < filesPerWriter; f++) {
                    if (f == filesPerWriter / 2 && !everyReaderRead.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                        fail("readers did not start");
                    }
                    String file = path("concurrent/w" + writer + "/f" + f);
                    byte[] bytes = randomBytes(1 + (writer * 7919 + f * 104_729) % 200_000, writer * 100L + f);
                    if (f % 2 == 0) {
                        driver.writeSmall(file, bytes);
                    } else {
                        int half = bytes.length / 2;
                        appendAndCommit(file, Arrays.copyOfRange(bytes, 0, half), Arrays.copyOfRange(bytes, half, bytes.length));
                    }
                    published.add(Map.entry(file, sha256(bytes)));
                }
                return null;
            });
        }
        List<Callable<Void>> readerTasks = new ArrayList<>();
        for (int r = 0; r < readers; r++) {
            readerTasks.add(() -> {
                boolean counted = false;
                try {
                    while (writing.get()) {
                        if (published.isEmpty()) {
                            Thread.onSpinWait();
                            continue;
                        }
                        Map.Entry<String, String> file = published.get(ThreadLocalRandom.current().nextInt(published.size()));
                        assertEquals(file.getValue(), sha256(read(file.getKey(), 0)), file.getKey());
                        verifiedWhileWriting.incrementAndGet();
                        if (!counted) {
                            everyReaderRead.countDown();
                            counted = true;
                        }
                    }
                } finally {
                    // A failed reader must not stall the writers: its own failure is reported.
                    if (!counted) everyReaderRead.countDown();
                }
                return null;
            });
        }

        ExecutorService pool = Executors.newFixedThreadPool(writers + readers);
        try {
            List<Future<Void>> readerFutures = submitAll(pool, readerTasks);
            try {
                awaitAll(submitAll(pool, writerTasks));
            } finally {
                writing.set(false);
            }
            awaitAll(readerFutures);
        } finally {
            pool.shutdownNow();
        }

        assertEquals(writers * filesPerWriter, published.size());
        for (Map.Entry<String, String> file : published) {
            assertEquals(file.getValue(), sha256(read(file.getKey(), 0)), file.getKey());
        }
        assertEquals(writers, driver.list(path("concurrent")).size());
        for (int w = 0; w < writers; w++) assertEquals(filesPerWriter, driver.list(path("concurrent/w" + w)).size());
        assertTrue(verifiedWhileWriting.get() >= readers, "readers read while writers wrote");
    }

    @Test
    void concurrentReadersOfOneFileSeeTheirOwnRanges() throws Exception {
        byte[] bytes = randomBytes(4 * 1024 * 1024, 31);
        appendAndCommit(path("shared"), bytes);
        int readers = 12;
        CountDownLatch start = new CountDownLatch(1);

        List<Callable<Void>> tasks = new ArrayList<>();
        for (int r = 0; r < readers; r++) {
            boolean asStream = r % 2 == 0;
            tasks.add(() -> {
                start.await();
                for (int i = 0; i < 10; i++) {
                    int offset = ThreadLocalRandom.current().nextInt(bytes.length + 1);
                    byte[] expected = Arrays.copyOfRange(bytes, offset, bytes.length);
                    if (asStream) {
                        try (Content content = driver.open(path("shared"), offset); InputStream in = content.asStream()) {
                            assertArrayEquals(expected, in.readAllBytes(), "offset " + offset);
                        }
                    } else {
                        assertArrayEquals(expected, read(path("shared"), offset), "offset " + offset);
                    }
                }
                return null;
            });
        }

        runTogether(tasks, start);
    }

    @Test
    void replacingASmallFileIsAtomicForConcurrentReaders() throws Exception {
        byte[] a = new byte[64 * 1024];
        byte[] b = new byte[40 * 1024];
        Arrays.fill(a, (byte) 'a');
        Arrays.fill(b, (byte) 'b');
        driver.writeSmall(path("manifest"), a);
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger reads = new AtomicInteger();

        Callable<Void> writer = () -> {
            try {
                for (int i = 0; i < 200; i++) driver.writeSmall(path("manifest"), i % 2 == 0 ? b : a);
            } finally {
                writing.set(false);
            }
            return null;
        };
        List<Callable<Void>> readers = new ArrayList<>();
        for (int r = 0; r < 4; r++) {
            readers.add(() -> {
                do {
                    byte[] got = driver.readSmall(path("manifest"), a.length);
                    if (!Arrays.equals(got, a) && !Arrays.equals(got, b)) {
                        fail("read a mix of versions: " + got.length + " bytes");
                    }
                    reads.incrementAndGet();
                } while (writing.get());
                return null;
            });
        }

        ExecutorService pool = Executors.newFixedThreadPool(5);
        try {
            List<Future<Void>> futures = submitAll(pool, readers);
            futures.add(pool.submit(writer));
            awaitAll(futures);
        } finally {
            pool.shutdownNow();
        }
        assertTrue(reads.get() >= 4, "every reader read");
    }

    @Test
    void concurrentAppendsToDistinctFilesDoNotMix() throws Exception {
        int files = 6;
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<Void>> tasks = new ArrayList<>();
        for (int i = 0; i < files; i++) {
            String file = path("uploads/u" + i + "/data");
            byte fill = (byte) ('0' + i);
            tasks.add(() -> {
                start.await();
                for (int round = 0; round < 5; round++) {
                    try (AppendWriter writer = driver.append(file)) {
                        byte[] chunk = new byte[10_000 + round];
                        Arrays.fill(chunk, fill);
                        writer.write(ByteBuffer.wrap(chunk));
                        if (round != 2) writer.commit(); // round 2 is abandoned and must vanish
                    }
                }
                return null;
            });
        }

        runTogether(tasks, start);

        long expectedSize = 10_000 + 10_001 + 10_003 + 10_004;
        for (int i = 0; i < files; i++) {
            byte[] content = read(path("uploads/u" + i + "/data"), 0);
            assertEquals(expectedSize, content.length, "file " + i);
            for (byte value : content) {
                if (value != (byte) ('0' + i)) fail("file " + i + " holds bytes of another writer: " + (char) value);
            }
        }
    }

    @Test
    void writesSucceedWhileNeighboursAreDeleted() throws Exception {
        // Deleting the last file of a directory may remove the directory (a filesystem driver
        // cleans up, an object store never had one) while another thread is writing into it.
        int threads = 6;
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<Void>> tasks = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            tasks.add(() -> {
                start.await();
                for (int i = 0; i < 40; i++) {
                    String file = path("busy/dir/t" + thread + "-" + i);
                    byte[] bytes = randomBytes(100 + i, thread * 1000L + i);
                    if (i % 2 == 0) driver.writeSmall(file, bytes);
                    else appendAndCommit(file, bytes);
                    assertArrayEquals(bytes, driver.readSmall(file, 1000), file);
                    driver.delete(file);
                }
                return null;
            });
        }

        runTogether(tasks, start);
        assertEquals(List.of(), driver.list(TCK_ROOT), "no file and no emptied directory is left");
    }

    @Test
    void writesSucceedWhileTheirWholeDirectoryIsDeleted() throws Exception {
        // A manifest push on one node writes its revision link while another node deletes that
        // manifest, revision directory and all: the write must land (as if it came after the
        // delete) or be deleted (as if before), never fail.
        int writes = 150;
        String directory = path("revision/dir");
        AtomicBoolean writing = new AtomicBoolean(true);
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch deleting = new CountDownLatch(1); // the writes start once the deletes have
        Callable<Void> writer = () -> {
            try {
                if (!deleting.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) fail("the deleter did not start");
                for (int i = 0; i < writes; i++) {
                    byte[] bytes = utf8("link " + i);
                    if (i % 2 == 0) {
                        driver.writeSmall(directory + "/link", bytes);
                    } else {
                        driver.writeSmallInOrder(List.of(new SmallFile(directory + "/link", bytes),
                                new SmallFile(directory + "/deeper/current", bytes)));
                    }
                }
            } finally {
                writing.set(false);
            }
            return null;
        };
        Callable<Void> deleter = () -> {
            start.await();
            do {
                driver.delete(directory);
                deleting.countDown();
            } while (writing.get());
            return null;
        };
        runTogether(List.of(writer, deleter), start);
        driver.writeSmall(directory + "/link", utf8("last"));
        assertArrayEquals(utf8("last"), driver.readSmall(directory + "/link", 100));
    }

    /** Runs every task on its own thread, releases them at once through {@code start}, waits for all. */
    private static void runTogether(List<Callable<Void>> tasks, CountDownLatch start) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            List<Future<Void>> futures = submitAll(pool, tasks);
            start.countDown();
            awaitAll(futures);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void whoeverSeesAFileOfAnOrderedWriteSeesTheOnesBeforeIt() throws Exception {
        int batches = 40;
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger checked = new AtomicInteger();
        Callable<Void> writer = () -> {
            try {
                for (int b = 0; b < batches; b++) {
                    driver.writeSmallInOrder(List.of(new SmallFile(path(b + "/revision"), utf8("r")),
                            new SmallFile(path(b + "/tags/t/current"), utf8("c")),
                            new SmallFile(path(b + "/tags/t/index/link"), utf8("i"))));
                }
            } finally {
                writing.set(false);
            }
            return null;
        };
        Callable<Void> reader = () -> {
            while (writing.get() || checked.get() == 0) {
                for (int b = 0; b < batches; b++) {
                    // Later files first: once one is seen, the earlier ones must already be there.
                    if (driver.statFile(path(b + "/tags/t/index/link")).isPresent()) {
                        assertTrue(driver.statFile(path(b + "/tags/t/current")).isPresent(), "current before index " + b);
                    }
                    if (driver.statFile(path(b + "/tags/t/current")).isPresent()) {
                        assertTrue(driver.statFile(path(b + "/revision")).isPresent(), "revision before current " + b);
                        checked.incrementAndGet();
                    }
                }
            }
            return null;
        };
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            awaitAll(submitAll(pool, List.of(writer, reader)));
        } finally {
            pool.shutdownNow();
        }
        assertTrue(checked.get() > 0, "the reader saw no batch");
    }

    private static <T> List<Future<T>> submitAll(ExecutorService pool, List<Callable<T>> tasks) {
        List<Future<T>> futures = new ArrayList<>();
        for (Callable<T> task : tasks) futures.add(pool.submit(task));
        return futures;
    }

    /** Waits for every task, rethrowing the first failure as itself so assertion messages survive. */
    private static void awaitAll(List<? extends Future<?>> futures) throws Exception {
        for (Future<?> future : futures) {
            try {
                future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof Error error) throw error;
                if (cause instanceof Exception exception) throw exception;
                throw e;
            } catch (TimeoutException e) {
                throw new AssertionError("a concurrent task did not finish in " + TIMEOUT_SECONDS + " s", e);
            }
        }
    }
}
