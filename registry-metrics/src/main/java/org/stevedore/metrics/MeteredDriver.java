package org.stevedore.metrics;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.Optional;
import org.stevedore.storage.AppendWriter;
import org.stevedore.storage.Content;
import org.stevedore.storage.FileInfo;
import org.stevedore.storage.SmallFile;
import org.stevedore.storage.StorageDriver;

/**
 * A {@link StorageDriver} decorator that times every SPI call and counts its failures; an
 * appending writer's commit and cancel are timed too. A missing file ({@link NoSuchFileException})
 * is an answer, not a failure. Behaviour is otherwise the wrapped driver's, optional
 * capabilities ({@link #redirect}) included.
 */
final class MeteredDriver implements StorageDriver {
    private final StorageDriver driver;
    private final StorageMetrics.Action stat;
    private final StorageMetrics.Action readSmall;
    private final StorageMetrics.Action writeSmall;
    private final StorageMetrics.Action writeSmallInOrder;
    private final StorageMetrics.Action touch;
    private final StorageMetrics.Action open;
    private final StorageMetrics.Action append;
    private final StorageMetrics.Action commit;
    private final StorageMetrics.Action cancel;
    private final StorageMetrics.Action move;
    private final StorageMetrics.Action delete;
    private final StorageMetrics.Action list;
    private final StorageMetrics.Action redirect;
    private final StorageMetrics.Action listMarked;
    private final StorageMetrics.Action statInEachChild;

    MeteredDriver(StorageDriver driver, StorageMetrics metrics) {
        this.driver = driver;
        String name = driver.name();
        stat = metrics.action(name, "stat");
        readSmall = metrics.action(name, "read_small");
        writeSmall = metrics.action(name, "write_small");
        writeSmallInOrder = metrics.action(name, "write_small_in_order");
        touch = metrics.action(name, "touch");
        open = metrics.action(name, "open");
        append = metrics.action(name, "append");
        commit = metrics.action(name, "commit");
        cancel = metrics.action(name, "cancel");
        move = metrics.action(name, "move");
        delete = metrics.action(name, "delete");
        list = metrics.action(name, "list");
        redirect = metrics.action(name, "redirect");
        listMarked = metrics.action(name, "list_marked");
        statInEachChild = metrics.action(name, "stat_in_each_child");
    }

    /** One timed call. */
    private interface Call<T> {
        T run() throws IOException;
    }

    private static <T> T timed(StorageMetrics.Action action, Call<T> call) throws IOException {
        long start = System.nanoTime();
        try {
            return call.run();
        } catch (NoSuchFileException | FileNotFoundException missing) {
            throw missing;
        } catch (IOException | RuntimeException e) {
            action.errors().inc();
            throw e;
        } finally {
            action.observe(start);
        }
    }

    @Override
    public String name() {
        return driver.name();
    }

    @Override
    public Optional<FileInfo> stat(String path) throws IOException {
        return timed(stat, () -> driver.stat(path));
    }

    @Override
    public Optional<FileInfo> statFile(String path) throws IOException {
        return timed(stat, () -> driver.statFile(path));
    }

    @Override
    public byte[] readSmall(String path, int maxBytes) throws IOException {
        return timed(readSmall, () -> driver.readSmall(path, maxBytes));
    }

    @Override
    public void writeSmall(String path, byte[] bytes) throws IOException {
        timed(writeSmall, () -> {
            driver.writeSmall(path, bytes);
            return null;
        });
    }

    @Override
    public void writeSmallInOrder(List<SmallFile> files) throws IOException {
        timed(writeSmallInOrder, () -> {
            driver.writeSmallInOrder(files);
            return null;
        });
    }

    /** Counted as a {@code writeSmall}: the same work, less the syncs. */
    @Override
    public void writeSmallUnsynced(String path, byte[] bytes) throws IOException {
        timed(writeSmall, () -> {
            driver.writeSmallUnsynced(path, bytes);
            return null;
        });
    }

    @Override
    public void touch(String path) throws IOException {
        timed(touch, () -> {
            driver.touch(path);
            return null;
        });
    }

    @Override
    public boolean createSmall(String path, byte[] bytes) throws IOException {
        return timed(writeSmall, () -> driver.createSmall(path, bytes));
    }

    @Override
    public Content open(String path, long offset) throws IOException {
        return timed(open, () -> driver.open(path, offset));
    }

    @Override
    public AppendWriter append(String path) throws IOException {
        AppendWriter writer = timed(append, () -> driver.append(path));
        return new MeteredWriter(writer);
    }

    /** Opening counts as an append and the commit as a commit, as for the upload writer it replaces. */
    @Override
    public org.stevedore.storage.HiddenWriter writeHidden(String path, String stagingPath, java.util.OptionalLong size) throws IOException {
        org.stevedore.storage.HiddenWriter writer = timed(append, () -> driver.writeHidden(path, stagingPath, size));
        return new org.stevedore.storage.HiddenWriter() {
            @Override
            public long size() {
                return writer.size();
            }

            @Override
            public void write(ByteBuffer source) throws IOException {
                writer.write(source);
            }

            @Override
            public void commit() throws IOException {
                timed(commit, () -> {
                    writer.commit();
                    return null;
                });
            }

            /** Counted as a commit: a blob sent whole, its bytes published and its link written. */
            @Override
            public void commitThenWriteInOrder(List<SmallFile> files) throws IOException {
                timed(commit, () -> {
                    writer.commitThenWriteInOrder(files);
                    return null;
                });
            }

            @Override
            public void close() throws IOException {
                writer.close();
            }
        };
    }

    @Override
    public void move(String from, String to) throws IOException {
        timed(move, () -> {
            driver.move(from, to);
            return null;
        });
    }

    /** Counted as a {@code move}: an upload's publication, its bytes moved and its link written. */
    @Override
    public void moveThenWriteInOrder(String from, String to, List<SmallFile> files) throws IOException {
        timed(move, () -> {
            driver.moveThenWriteInOrder(from, to, files);
            return null;
        });
    }

    @Override
    public void delete(String path) throws IOException {
        timed(delete, () -> {
            driver.delete(path);
            return null;
        });
    }

    @Override
    public List<String> list(String directory) throws IOException {
        return timed(list, () -> driver.list(directory));
    }

    @Override
    public List<String> listPage(String directory, String startAfter, int limit) throws IOException {
        // Forwarded, not left to the default: the wrapped store may page without a whole listing (S3).
        return timed(list, () -> driver.listPage(directory, startAfter, limit));
    }

    @Override
    public java.util.Map<String, java.util.Set<String>> listDirectoriesWithChildStartingWith(
            String directory, String childPrefix) throws IOException {
        // Forwarded, not left to the default: the wrapped store may answer in one listing (S3).
        return timed(listMarked, () -> driver.listDirectoriesWithChildStartingWith(directory, childPrefix));
    }

    @Override
    public List<org.stevedore.storage.FileInfo> statInEachChild(String directory, String relativePath) throws IOException {
        // Forwarded for the same reason: one paged listing on S3 instead of a HEAD per child.
        return timed(statInEachChild, () -> driver.statInEachChild(directory, relativePath));
    }

    @Override
    public Optional<URI> redirect(String path) throws IOException {
        return timed(redirect, () -> driver.redirect(path));
    }

    @Override
    public int sweepTemporaryFiles(java.time.Instant cutoff) throws IOException {
        return driver.sweepTemporaryFiles(cutoff); // forwarded: the wrapped store owns its temporary files
    }

    @Override
    public java.time.Duration presenceCacheTtl() {
        return driver.presenceCacheTtl(); // forwarded: only the wrapped store knows what a stat costs
    }

    @Override
    public String toString() {
        return driver.toString();
    }

    /** Times the writer's commit and cancel; writes pass straight through (they are per buffer). */
    private final class MeteredWriter implements AppendWriter {
        private final AppendWriter writer;

        MeteredWriter(AppendWriter writer) {
            this.writer = writer;
        }

        @Override
        public long size() {
            return writer.size();
        }

        @Override
        public void write(ByteBuffer source) throws IOException {
            writer.write(source);
        }

        @Override
        public void commit() throws IOException {
            timed(commit, () -> {
                writer.commit();
                return null;
            });
        }

        @Override
        public void cancel() throws IOException {
            timed(cancel, () -> {
                writer.cancel();
                return null;
            });
        }

        @Override
        public void close() throws IOException {
            writer.close();
        }
    }
}
