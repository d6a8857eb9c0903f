package org.stevedore.storage.fs;

import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.WRITE;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import org.stevedore.storage.AppendWriter;

/**
 * The {@link FilesystemDriver}'s writer. A new file is written aside, in a temporary file that
 * commit syncs and renames into place. An existing file is appended to in place, at its committed
 * end: commit syncs the data, then records the new committed size ({@link CommittedSizes}); closing
 * without a commit truncates the file back to its size at open; cancel deletes the file. Either way
 * a process killed mid-write leaves no byte that a later writer or reader takes for committed.
 *
 * <p>Syncing ahead: the kernel starts writing dirty pages back only after tens of seconds or
 * gigabytes, so a commit right after a large write would wait for all of it to reach the disk.
 * Once {@link #SYNC_AHEAD_BYTES} are written and not yet synced, a background sync starts instead
 * (writes go on meanwhile; one sync at a time, so the next one takes all that arrived during this
 * one), and the commit's own sync finds little left to do: disk writes overlap the network
 * transfer. The threshold is small because most bodies are: a layer pushed by skopeo or docker
 * is one request of a few MiB, and with a threshold of 32 MiB such a request never started a
 * sync before its commit, which then waited for every byte of it to reach the disk.
 */
final class FileAppendWriter implements AppendWriter {
    private final FilesystemDriver driver;
    private final String path;
    private final Path file;
    /** Where a new file is written until commit; {@code null} when appending in place. */
    private final Path temp;
    private final FileChannel channel;
    private final long sizeAtOpen;
    private final Executor syncer;
    /** Whether {@link CommittedSizes} holds {@link #sizeAtOpen} (in-place writers only). */
    private boolean recorded;
    private long size;
    private long unsyncedBytes;
    private CompletableFuture<Void> syncAhead = CompletableFuture.completedFuture(null);
    private boolean closed;

    static final long SYNC_AHEAD_BYTES = 2L * 1024 * 1024;

    private FileAppendWriter(FilesystemDriver driver, String path, Path file, Path temp, FileChannel channel,
                             long sizeAtOpen, boolean recorded, Executor syncer) {
        this.driver = driver;
        this.path = path;
        this.file = file;
        this.temp = temp;
        this.channel = channel;
        this.sizeAtOpen = sizeAtOpen;
        this.size = sizeAtOpen;
        this.recorded = recorded;
        this.syncer = syncer;
    }

    /**
     * Opens a writer on {@code file}, whose parent exists. Bytes past the recorded committed size
     * (left by a killed process) are cut off first.
     *
     * @throws NoSuchFileException when the parent vanished meanwhile (the caller retries)
     */
    static FileAppendWriter open(FilesystemDriver driver, String path, Path file, Executor syncer) throws IOException {
        FileChannel channel;
        try {
            channel = FileChannel.open(file, WRITE);
        } catch (NoSuchFileException missing) {
            Path temp = file.resolveSibling(FilesystemDriver.TEMP_PREFIX + UUID.randomUUID());
            FileChannel created = FileChannel.open(temp, CREATE_NEW, WRITE);
            return new FileAppendWriter(driver, path, file, temp, created, 0, false, syncer);
        }
        try {
            long committed = channel.size();
            OptionalLong record = CommittedSizes.read(file);
            if (record.isPresent() && record.getAsLong() < committed) {
                committed = record.getAsLong();
                channel.truncate(committed);
            }
            channel.position(committed);
            return new FileAppendWriter(driver, path, file, null, channel, committed, record.isPresent(), syncer);
        } catch (IOException | RuntimeException e) {
            try {
                channel.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public void write(ByteBuffer source) throws IOException {
        ensureOpen();
        if (!source.hasRemaining()) return;
        if (temp == null && !recorded) {
            // Before the first byte lands in place: what the file holds now is what a later
            // writer keeps if this process dies before it commits or truncates.
            CommittedSizes.write(file, sizeAtOpen);
            recorded = true;
        }
        // Heap or direct alike: the channel takes either, and a direct one needs no extra copy.
        while (source.hasRemaining()) {
            int written = channel.write(source);
            size += written;
            unsyncedBytes += written;
        }
        if (unsyncedBytes >= SYNC_AHEAD_BYTES && syncAhead.isDone()) {
            unsyncedBytes = 0;
            syncAhead = CompletableFuture.runAsync(this::syncQuietly, syncer);
        }
    }

    private void syncQuietly() {
        try {
            channel.force(false);
        } catch (IOException | RuntimeException e) {
            // The commit's own sync reports any failure that matters.
        }
    }

    private void awaitSyncAhead() throws IOException {
        try {
            syncAhead.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException(path + ": interrupted while syncing");
        } catch (ExecutionException e) {
            throw new IOException(path + ": sync failed", e.getCause());
        }
    }

    @Override
    public void commit() throws IOException {
        ensureOpen();
        try {
            if (temp != null) {
                awaitSyncAhead();
                channel.force(false); // the data and the size needed to read it; timestamps need no sync
                closed = true;
                channel.close();
                CommittedSizes.forget(file); // a record left by an earlier file at this path
                driver.replaceWith(temp, file);
            } else if (size != sizeAtOpen) {
                awaitSyncAhead();
                channel.force(false);
                CommittedSizes.write(file, size);
            }
        } catch (IOException | RuntimeException e) {
            closed = false;
            close(); // not durable, so not committed: back to the state at open
            throw e;
        }
        closed = true;
        channel.close();
    }

    /**
     * For a hidden write ({@link FileHiddenWriter}): syncs the bytes of a new file and closes the
     * writer, leaving them in its temporary file, which the caller renames to wherever the bytes
     * go; it deletes that file if it does not. The temporary file is not renamed into place first,
     * so its directory and the directories above it need no sync ({@link FilesystemDriver#replaceWith}).
     * An in-place writer (the file existed) commits as usual and returns the file itself.
     */
    Path seal() throws IOException {
        if (temp == null) {
            commit();
            return file;
        }
        ensureOpen();
        try {
            awaitSyncAhead();
            channel.force(false); // the data and the size needed to read it
        } catch (IOException | RuntimeException e) {
            close(); // deletes the temporary file
            throw e;
        }
        closed = true;
        channel.close();
        return temp;
    }

    @Override
    public void cancel() throws IOException {
        // Allowed after close too, so cleanup in a catch block works whatever failed first.
        closed = true;
        try {
            awaitSyncAhead();
            channel.close();
            if (temp != null) Files.deleteIfExists(temp);
        } finally {
            driver.delete(path); // through the driver, so emptied parent directories go too
        }
    }

    @Override
    public void close() throws IOException {
        if (closed) return;
        closed = true;
        try {
            awaitSyncAhead();
            if (temp == null) channel.truncate(sizeAtOpen);
        } finally {
            channel.close();
            if (temp != null) Files.deleteIfExists(temp);
        }
    }

    private void ensureOpen() throws IOException {
        if (closed) throw new IOException(path + ": writer is closed");
    }
}
