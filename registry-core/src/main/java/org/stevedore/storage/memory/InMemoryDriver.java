package org.stevedore.storage.memory;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import org.stevedore.storage.AppendWriter;
import org.stevedore.storage.Content;
import org.stevedore.storage.FileInfo;
import org.stevedore.storage.FileTooLargeException;
import org.stevedore.storage.StorageDriver;

/**
 * A storage driver that keeps every file on the heap: for tests and throwaway registries, which
 * start empty and forget everything when dropped. Named {@code inmemory}.
 *
 * <p>Files are byte arrays in a concurrent map sorted by path. Sorting makes the subtree of a
 * directory one contiguous key range, so listing and recursive delete are range operations and
 * directories need no entries of their own: a directory exists while some file lies below it (the
 * root always exists). As on a filesystem, a path is never both a file and a directory: writing
 * below a file, or onto a directory, fails with an {@link IOException}, so code that works here
 * does not break on disk.
 *
 * <p>Thread-safe. A published array is never changed, only replaced, so readers always see a whole
 * version of a file. {@link #open} returns {@link Content.OfStream}. An {@link AppendWriter}
 * buffers on the heap and publishes on {@link AppendWriter#commit()}; if the file was deleted or
 * replaced while the writer was open, the commit fails instead of resurrecting or overwriting it.
 * A file holds at most about 2 GiB (one Java array).
 */
public final class InMemoryDriver implements StorageDriver {
    private static final byte[] EMPTY = new byte[0];
    /** The largest array the JVM reliably allocates. */
    private static final int MAX_FILE_BYTES = Integer.MAX_VALUE - 8;

    private final ConcurrentSkipListMap<String, Stored> files = new ConcurrentSkipListMap<>();

    private InMemoryDriver() {
    }

    /** A new, empty driver. */
    public static InMemoryDriver create() {
        return new InMemoryDriver();
    }

    @Override
    public String name() {
        return "inmemory";
    }

    @Override
    public Optional<FileInfo> stat(String path) {
        Stored file = files.get(path);
        if (file != null) return Optional.of(new FileInfo(path, file.bytes.length, file.modified, false));
        // Implicit directories have no time of their own; the newest file below stands in for it,
        // much as a directory's mtime on disk changes when entries are added.
        Instant newest = null;
        for (Stored below : subtree(path).values()) {
            if (newest == null || below.modified.isAfter(newest)) newest = below.modified;
        }
        if (newest == null && path.equals("/")) newest = Instant.EPOCH;
        return newest == null ? Optional.empty() : Optional.of(new FileInfo(path, 0, newest, true));
    }

    @Override
    public byte[] readSmall(String path, int maxBytes) throws IOException {
        if (maxBytes < 0) throw new IllegalArgumentException("negative maxBytes");
        Stored file = requireFile(path);
        if (file.bytes.length > maxBytes) throw new FileTooLargeException(path, maxBytes);
        return file.bytes.clone(); // the caller may change its copy; ours stays immutable
    }

    @Override
    public void writeSmall(String path, byte[] bytes) throws IOException {
        Objects.requireNonNull(bytes, "bytes");
        checkWritable(path);
        files.put(path, new Stored(bytes.clone(), Instant.now()));
    }

    @Override
    public boolean createSmall(String path, byte[] bytes) throws IOException {
        Objects.requireNonNull(bytes, "bytes");
        checkWritable(path);
        return files.putIfAbsent(path, new Stored(bytes.clone(), Instant.now())) == null;
    }

    @Override
    public Content open(String path, long offset) throws IOException {
        if (offset < 0) throw new IllegalArgumentException("negative offset");
        Stored file = requireFile(path);
        if (offset > file.bytes.length) {
            throw new EOFException(path + ": offset " + offset + " is past the end (" + file.bytes.length + " bytes)");
        }
        int start = (int) offset;
        int length = file.bytes.length - start;
        return new Content.OfStream(new ByteArrayInputStream(file.bytes, start, length), length);
    }

    @Override
    public AppendWriter append(String path) throws IOException {
        checkWritable(path);
        // Creating the file now, like opening it on disk does, gives the writer a version to
        // compare against at commit, and makes a new upload visible as an empty file at once.
        Stored base = files.computeIfAbsent(path, p -> new Stored(EMPTY, Instant.now()));
        return new Writer(path, base);
    }

    @Override
    public void move(String from, String to) throws IOException {
        if (from.equals(to)) {
            requireFile(from);
            return;
        }
        checkWritable(to); // before removing the source, so a refused move loses nothing
        Stored file = files.remove(from);
        if (file == null) throw missing(from);
        // Removing first means two concurrent moves of one file cannot both succeed. A reader
        // of the target sees the old file until the put; the modification time travels along,
        // as with a rename.
        files.put(to, file);
    }

    @Override
    public void delete(String path) {
        if (path.equals("/")) throw new IllegalArgumentException("refusing to delete the storage root");
        files.remove(path);
        subtree(path).clear();
    }

    @Override
    public List<String> list(String directory) {
        String prefix = prefix(directory);
        // A set, because a racing writer could briefly make one name both a file and a directory.
        Set<String> children = new LinkedHashSet<>();
        String key = files.ceilingKey(prefix);
        while (key != null && key.startsWith(prefix)) {
            int slash = key.indexOf('/', prefix.length());
            if (slash < 0) {
                children.add(key);
                key = files.higherKey(key);
            } else {
                String child = key.substring(0, slash);
                children.add(child);
                key = files.ceilingKey(child + '0'); // skip the child's whole subtree in one step
            }
        }
        return new ArrayList<>(children);
    }

    /** {@code "/a/"} for {@code "/a"}, and {@code "/"} for the root: what every path below starts with. */
    private static String prefix(String directory) {
        return directory.equals("/") ? "/" : directory + "/";
    }

    /**
     * Every file below {@code directory}, as a live view. The range ends at the prefix with its
     * closing {@code '/'} replaced by {@code '0'}, the next character: every key starting with
     * the prefix sorts before that, and siblings such as {@code /a-b} or {@code /a0} fall outside.
     */
    private ConcurrentNavigableMap<String, Stored> subtree(String directory) {
        String prefix = prefix(directory);
        String end = prefix.substring(0, prefix.length() - 1) + '0';
        return files.subMap(prefix, true, end, false);
    }

    private Stored requireFile(String path) throws NoSuchFileException {
        Stored file = files.get(path);
        if (file == null) throw missing(path);
        return file;
    }

    private NoSuchFileException missing(String path) {
        return new NoSuchFileException(path, null, path.equals("/") || !subtree(path).isEmpty() ? "is a directory" : null);
    }

    /** Refuses to make {@code path} a file where it is a directory or lies below a file. */
    private void checkWritable(String path) throws IOException {
        if (path.equals("/") || !subtree(path).isEmpty()) throw new FileSystemException(path, null, "is a directory");
        for (int slash = path.lastIndexOf('/'); slash > 0; slash = path.lastIndexOf('/', slash - 1)) {
            String ancestor = path.substring(0, slash);
            if (files.containsKey(ancestor)) throw new NotDirectoryException(ancestor);
        }
    }

    /**
     * One version of a file. Compared by identity, so that {@code replace(path, base, next)} in a
     * commit succeeds only if nobody published another version since the writer opened.
     */
    private static final class Stored {
        final byte[] bytes;
        final Instant modified;

        Stored(byte[] bytes, Instant modified) {
            this.bytes = bytes;
            this.modified = modified;
        }
    }

    /** Buffers appended bytes on the heap and publishes the base plus the buffer on commit. */
    private final class Writer implements AppendWriter {
        private final String path;
        private final Stored base;
        private byte[] buffer = EMPTY;
        private int count;
        private boolean closed;

        Writer(String path, Stored base) {
            this.path = path;
            this.base = base;
        }

        @Override
        public long size() {
            return (long) base.bytes.length + count;
        }

        @Override
        public void write(ByteBuffer source) throws IOException {
            ensureOpen();
            int n = source.remaining();
            if (size() + n > MAX_FILE_BYTES) {
                throw new IOException(path + ": an in-memory file holds at most " + MAX_FILE_BYTES + " bytes");
            }
            if (count + n > buffer.length) {
                // Doubling keeps a long run of small chunks linear; the bound check above keeps
                // the sum within an array.
                long doubled = Math.max(8192L, 2L * buffer.length);
                buffer = Arrays.copyOf(buffer, (int) Math.min(MAX_FILE_BYTES, Math.max(doubled, (long) count + n)));
            }
            source.get(buffer, count, n); // works for heap and direct buffers alike
            count += n;
        }

        @Override
        public void commit() throws IOException {
            ensureOpen();
            try {
                if (count == 0) return; // nothing to publish; keep the file's time as it is
                byte[] all = Arrays.copyOf(base.bytes, base.bytes.length + count);
                System.arraycopy(buffer, 0, all, base.bytes.length, count);
                if (!files.replace(path, base, new Stored(all, Instant.now()))) {
                    if (!files.containsKey(path)) throw new NoSuchFileException(path, null, "deleted while appending");
                    throw new IOException(path + " was replaced while appending");
                }
            } finally {
                close();
            }
        }

        @Override
        public void cancel() {
            // Allowed after close too, so cleanup in a catch block works whatever failed first.
            try {
                files.remove(path);
            } finally {
                close();
            }
        }

        @Override
        public void close() {
            closed = true;
            buffer = EMPTY; // let the garbage collector have uncommitted bytes at once
            count = 0;
        }

        private void ensureOpen() throws IOException {
            if (closed) throw new IOException(path + ": writer is closed");
        }
    }
}
