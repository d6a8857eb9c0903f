package org.stevedore.http;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.stevedore.storage.AppendWriter;
import org.stevedore.storage.Content;
import org.stevedore.storage.FileInfo;
import org.stevedore.storage.StorageDriver;
import org.stevedore.storage.layout.StorageLayout;

/**
 * One node's access to shared storage, which a test can cut at once, as if the node's process
 * were killed: from then on every call fails before reaching the store, so nothing this node
 * was doing gets further. A kill can also be armed to strike at a chosen call (mid-sweep).
 * Reports the node's collection lease events to a {@link LeaseEvents} listener.
 */
public final class KillableDriver implements StorageDriver {
    /** Told when this node creates a lease generation and when it marks one finished. */
    public interface LeaseEvents {
        void acquired(KillableDriver node, String generation);

        void finished(KillableDriver node, String generation);
    }

    private final StorageDriver delegate;
    private final LeaseEvents events;
    private volatile boolean killed;
    private volatile long killedAtNanos;
    private volatile Predicate<String> killAtList = path -> false;
    private volatile Predicate<String> killAtWrite = path -> false;

    public KillableDriver(StorageDriver delegate, LeaseEvents events) {
        this.delegate = delegate;
        this.events = events;
    }

    /** The node's own driver, for closing. */
    public StorageDriver delegate() {
        return delegate;
    }

    public void kill() {
        killedAtNanos = System.nanoTime();
        killed = true;
    }

    /** When {@link #kill()} struck, in {@link System#nanoTime()}. */
    public long killedAtNanos() {
        return killedAtNanos;
    }

    public boolean killed() {
        return killed;
    }

    /** Kills the node when it lists a directory {@code trigger} accepts (checked after the kill is armed). */
    public void killWhenListing(Predicate<String> trigger) {
        killAtList = trigger;
    }

    /** Kills the node when it is about to write a small file at a path {@code trigger} accepts. */
    public void killWhenWriting(Predicate<String> trigger) {
        killAtWrite = trigger;
    }

    private void alive() throws IOException {
        if (killed) throw new IOException("node killed");
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public Optional<FileInfo> stat(String path) throws IOException {
        alive();
        return delegate.stat(path);
    }

    @Override
    public Optional<FileInfo> statFile(String path) throws IOException {
        alive();
        return delegate.statFile(path);
    }

    @Override
    public byte[] readSmall(String path, int maxBytes) throws IOException {
        alive();
        return delegate.readSmall(path, maxBytes);
    }

    @Override
    public void writeSmall(String path, byte[] bytes) throws IOException {
        alive();
        if (killAtWrite.test(path)) {
            kill();
            alive();
        }
        delegate.writeSmall(path, bytes);
        if (path.startsWith(StorageLayout.GC_LEASES + "/") && new String(bytes, StandardCharsets.UTF_8).contains("\nfinished ")) {
            events.finished(this, StorageLayout.fileName(path));
        }
    }

    @Override
    public boolean createSmall(String path, byte[] bytes) throws IOException {
        alive();
        boolean created = delegate.createSmall(path, bytes);
        if (created && path.startsWith(StorageLayout.GC_LEASES + "/")) events.acquired(this, StorageLayout.fileName(path));
        return created;
    }

    @Override
    public Content open(String path, long offset) throws IOException {
        alive();
        return delegate.open(path, offset);
    }

    @Override
    public AppendWriter append(String path) throws IOException {
        alive();
        AppendWriter writer = delegate.append(path);
        return new AppendWriter() {
            @Override
            public long size() {
                return writer.size();
            }

            @Override
            public void write(java.nio.ByteBuffer source) throws IOException {
                alive();
                writer.write(source);
            }

            @Override
            public void commit() throws IOException {
                alive();
                writer.commit();
            }

            @Override
            public void cancel() throws IOException {
                alive();
                writer.cancel();
            }

            @Override
            public void close() throws IOException {
                writer.close(); // a killed process's open files are closed by the kernel
            }
        };
    }

    @Override
    public void move(String from, String to) throws IOException {
        alive();
        delegate.move(from, to);
    }

    @Override
    public void delete(String path) throws IOException {
        alive();
        delegate.delete(path);
    }

    @Override
    public List<String> list(String directory) throws IOException {
        alive();
        if (killAtList.test(directory)) {
            kill();
            alive();
        }
        return delegate.list(directory);
    }

    @Override
    public List<String> listPage(String directory, String startAfter, int limit) throws IOException {
        alive();
        return delegate.listPage(directory, startAfter, limit);
    }

    @Override
    public Map<String, Set<String>> listDirectoriesWithChildStartingWith(String directory, String childPrefix) throws IOException {
        alive();
        return delegate.listDirectoriesWithChildStartingWith(directory, childPrefix);
    }

    @Override
    public List<org.stevedore.storage.FileInfo> statInEachChild(String directory, String relativePath) throws IOException {
        alive();
        return delegate.statInEachChild(directory, relativePath);
    }

    @Override
    public Duration presenceCacheTtl() {
        return delegate.presenceCacheTtl();
    }

    @Override
    public int sweepTemporaryFiles(Instant cutoff) throws IOException {
        alive();
        return delegate.sweepTemporaryFiles(cutoff);
    }

    @Override
    public Optional<URI> redirect(String path) throws IOException {
        alive();
        return delegate.redirect(path);
    }
}
