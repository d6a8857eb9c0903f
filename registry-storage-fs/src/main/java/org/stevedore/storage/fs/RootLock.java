package org.stevedore.storage.fs;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The lock a serving process holds on its storage root, so that offline garbage collection
 * cannot run beside it and delete the blobs of a push in flight. A server that writes holds a
 * shared lock on {@value #FILE_NAME} in the root (several servers may share a root); the offline
 * collector needs the lock exclusively. The operating system drops the lock when the process
 * dies, so a killed server never leaves a stale lock behind.
 *
 * <p>The JVM refuses a second lock on the same file from the same process, so servers of one
 * process (tests start several) share one lock, counted, released with the last of them.
 */
public final class RootLock implements AutoCloseable {
    /** In the root, beside {@code docker/}; not a storage path, and not a {@code .tmp-} file the sweeper removes. */
    public static final String FILE_NAME = ".stevedore-lock";

    private static final Map<Path, Held> HELD = new HashMap<>();

    private final Path file;
    private boolean closed;

    private RootLock(Path file) {
        this.file = file;
    }

    /** The shared lock a writing server holds while it serves {@code root}. */
    public static RootLock forServing(Path root) throws IOException {
        Path file = root.toAbsolutePath().normalize().resolve(FILE_NAME);
        synchronized (HELD) {
            Held held = HELD.get(file);
            if (held == null) {
                FileChannel channel = open(file);
                FileLock lock;
                try {
                    lock = channel.tryLock(0, Long.MAX_VALUE, true);
                } catch (IOException | RuntimeException e) {
                    channel.close();
                    throw new IOException("cannot lock " + file + ": " + StorageRoot.reason(asIo(e)), e);
                }
                if (lock == null) {
                    channel.close();
                    throw new IOException("storage root " + root.toAbsolutePath().normalize() + " is locked by"
                            + " stevedore garbage-collect (offline); start the server once it has finished");
                }
                held = new Held(channel, lock);
                HELD.put(file, held);
            }
            held.count++;
        }
        return new RootLock(file);
    }

    /**
     * The exclusive lock offline collection needs, if no server holds {@code root}: empty while
     * one does (in this process or another).
     */
    public static Optional<RootLock> forCollection(Path root) throws IOException {
        Path file = root.toAbsolutePath().normalize().resolve(FILE_NAME);
        synchronized (HELD) {
            if (HELD.containsKey(file)) return Optional.empty();
            FileChannel channel = open(file);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                return Optional.empty();
            }
            Held held = new Held(channel, lock);
            held.count = 1;
            HELD.put(file, held);
            return Optional.of(new RootLock(file));
        }
    }

    /** The lock file. */
    public Path file() {
        return file;
    }

    @Override
    public void close() throws IOException {
        synchronized (HELD) {
            if (closed) return;
            closed = true;
            Held held = HELD.get(file);
            if (held != null && --held.count == 0) {
                HELD.remove(file);
                held.channel.close(); // releases the lock
            }
        }
    }

    private static FileChannel open(Path file) throws IOException {
        try {
            return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new IOException("cannot open lock file " + file + ": " + StorageRoot.reason(e), e);
        }
    }

    private static IOException asIo(Exception e) {
        return e instanceof IOException io ? io : new IOException(e.getMessage(), e);
    }

    private static final class Held {
        final FileChannel channel;
        final FileLock lock;
        int count;

        Held(FileChannel channel, FileLock lock) {
            this.channel = channel;
            this.lock = lock;
        }
    }
}
