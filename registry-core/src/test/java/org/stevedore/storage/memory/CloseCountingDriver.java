package org.stevedore.storage.memory;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.stevedore.storage.AppendWriter;
import org.stevedore.storage.Content;
import org.stevedore.storage.FileInfo;
import org.stevedore.storage.StorageDriver;

/**
 * An in-memory driver that holds a resource, as the S3 driver does, and counts its closes; for
 * tests of who closes a driver. After close every operation fails, as a closed pool would.
 */
public final class CloseCountingDriver implements StorageDriver, AutoCloseable {
    private final StorageDriver delegate = InMemoryDriver.create();
    private final AtomicInteger closes = new AtomicInteger();

    /** How often {@link #close()} was called. */
    public int closes() {
        return closes.get();
    }

    private StorageDriver open() throws IOException {
        if (closes.get() > 0) throw new IOException("driver closed");
        return delegate;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public Optional<FileInfo> stat(String path) throws IOException {
        return open().stat(path);
    }

    @Override
    public Optional<FileInfo> statFile(String path) throws IOException {
        return open().statFile(path);
    }

    @Override
    public byte[] readSmall(String path, int maxBytes) throws IOException {
        return open().readSmall(path, maxBytes);
    }

    @Override
    public void writeSmall(String path, byte[] bytes) throws IOException {
        open().writeSmall(path, bytes);
    }

    @Override
    public Content open(String path, long offset) throws IOException {
        return open().open(path, offset);
    }

    @Override
    public AppendWriter append(String path) throws IOException {
        return open().append(path);
    }

    @Override
    public void move(String from, String to) throws IOException {
        open().move(from, to);
    }

    @Override
    public void delete(String path) throws IOException {
        open().delete(path);
    }

    @Override
    public List<String> listPage(String directory, String startAfter, int limit) throws IOException {
        return open().listPage(directory, startAfter, limit);
    }

    @Override
    public List<String> list(String directory) throws IOException {
        return open().list(directory);
    }

    @Override
    public void close() {
        closes.incrementAndGet();
    }
}
