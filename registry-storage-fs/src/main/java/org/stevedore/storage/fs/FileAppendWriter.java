package org.stevedore.storage.fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import org.stevedore.storage.AppendWriter;

/**
 * The {@link FilesystemDriver}'s writer: appends in place, at the end of the file as it was when
 * opened. Commit syncs the data; closing without a commit truncates the file back to its size at
 * open, so an aborted request leaves it as it was; cancel deletes the file.
 *
 * <p>Syncing ahead: the kernel starts writing dirty pages back only after tens of seconds or
 * gigabytes, so a commit right after a large write would wait for all of it to reach the disk.
 * Every {@link #SYNC_AHEAD_BYTES} a background sync starts instead (writes go on meanwhile), and
 * the commit's own sync finds little left to do: disk writes overlap the network transfer.
 */
final class FileAppendWriter implements AppendWriter {
    private final FilesystemDriver driver;
    private final String path;
    private final FileChannel channel;
    private final long sizeAtOpen;
    private final Executor syncer;
    private long size;
    private long unsyncedBytes;
    private CompletableFuture<Void> syncAhead = CompletableFuture.completedFuture(null);
    private boolean closed;

    static final long SYNC_AHEAD_BYTES = 32L * 1024 * 1024;

    /** {@code channel} is open for writing and positioned at {@code sizeAtOpen}, the end. */
    FileAppendWriter(FilesystemDriver driver, String path, FileChannel channel, long sizeAtOpen, Executor syncer) {
        this.driver = driver;
        this.syncer = syncer;
        this.path = path;
        this.channel = channel;
        this.sizeAtOpen = sizeAtOpen;
        this.size = sizeAtOpen;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public void write(ByteBuffer source) throws IOException {
        ensureOpen();
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
            awaitSyncAhead();
            channel.force(false); // the data and the size needed to read it; timestamps need no sync
        } catch (IOException | RuntimeException e) {
            close(); // not durable, so not committed: back to the size at open
            throw e;
        }
        closed = true;
        channel.close();
    }

    @Override
    public void cancel() throws IOException {
        // Allowed after close too, so cleanup in a catch block works whatever failed first.
        closed = true;
        try {
            awaitSyncAhead();
            channel.close();
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
            channel.truncate(sizeAtOpen);
        } finally {
            channel.close();
        }
    }

    private void ensureOpen() throws IOException {
        if (closed) throw new IOException(path + ": writer is closed");
    }
}
