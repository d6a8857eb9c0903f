package org.stevedore.storage.fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import org.stevedore.storage.AppendWriter;

/**
 * The {@link FilesystemDriver}'s writer: appends in place, at the end of the file as it was when
 * opened. Commit syncs the data; closing without a commit truncates the file back to its size at
 * open, so an aborted request leaves it as it was; cancel deletes the file.
 */
final class FileAppendWriter implements AppendWriter {
    private final FilesystemDriver driver;
    private final String path;
    private final FileChannel channel;
    private final long sizeAtOpen;
    private long size;
    private boolean closed;

    /** {@code channel} is open for writing and positioned at {@code sizeAtOpen}, the end. */
    FileAppendWriter(FilesystemDriver driver, String path, FileChannel channel, long sizeAtOpen) {
        this.driver = driver;
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
        while (source.hasRemaining()) size += channel.write(source);
    }

    @Override
    public void commit() throws IOException {
        ensureOpen();
        try {
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
            channel.truncate(sizeAtOpen);
        } finally {
            channel.close();
        }
    }

    private void ensureOpen() throws IOException {
        if (closed) throw new IOException(path + ": writer is closed");
    }
}
