package org.stevedore.storage;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * Wraps every driver the registry uses: checks each path once (absolute, no empty, {@code .} or
 * {@code ..} segment, no backslash or NUL), so no driver can be walked out of its root whatever
 * reaches it, and names the driver in its I/O errors.
 */
public final class CheckedDriver implements StorageDriver {
    private final StorageDriver delegate;

    private CheckedDriver(StorageDriver delegate) {
        this.delegate = delegate;
    }

    /** Wraps {@code driver} unless it is already checked. */
    public static StorageDriver wrap(StorageDriver driver) {
        return driver instanceof CheckedDriver ? driver : new CheckedDriver(driver);
    }

    /** The wrapped driver. */
    public StorageDriver delegate() {
        return delegate;
    }

    /** @throws IllegalArgumentException for a path no driver may see */
    public static String checkPath(String path) {
        if (path == null || path.isEmpty() || path.charAt(0) != '/' || path.length() > 4096) {
            throw new IllegalArgumentException("invalid storage path");
        }
        if (path.equals("/")) return path;
        int start = 1;
        while (start <= path.length()) {
            int end = path.indexOf('/', start);
            if (end < 0) end = path.length();
            String segment = path.substring(start, end);
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")
                    || segment.indexOf('\\') >= 0 || segment.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("invalid storage path " + path);
            }
            start = end + 1;
        }
        return path;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public Optional<FileInfo> stat(String path) throws IOException {
        return delegate.stat(checkPath(path));
    }

    @Override
    public Optional<FileInfo> statFile(String path) throws IOException {
        return delegate.statFile(checkPath(path));
    }

    @Override
    public byte[] readSmall(String path, int maxBytes) throws IOException {
        return delegate.readSmall(checkPath(path), maxBytes);
    }

    @Override
    public void writeSmall(String path, byte[] bytes) throws IOException {
        delegate.writeSmall(checkPath(path), bytes);
    }

    @Override
    public void writeSmallInOrder(List<SmallFile> files) throws IOException {
        for (SmallFile file : files) checkPath(file.path());
        delegate.writeSmallInOrder(files);
    }

    @Override
    public void moveThenWriteInOrder(String from, String to, List<SmallFile> files) throws IOException {
        for (SmallFile file : files) checkPath(file.path());
        delegate.moveThenWriteInOrder(checkPath(from), checkPath(to), files);
    }

    @Override
    public void writeSmallUnsynced(String path, byte[] bytes) throws IOException {
        delegate.writeSmallUnsynced(checkPath(path), bytes);
    }

    @Override
    public void touch(String path) throws IOException {
        delegate.touch(checkPath(path));
    }

    @Override
    public boolean createSmall(String path, byte[] bytes) throws IOException {
        return delegate.createSmall(checkPath(path), bytes);
    }

    @Override
    public Content open(String path, long offset) throws IOException {
        if (offset < 0) throw new IllegalArgumentException("negative offset");
        return delegate.open(checkPath(path), offset);
    }

    @Override
    public AppendWriter append(String path) throws IOException {
        return delegate.append(checkPath(path));
    }

    @Override
    public HiddenWriter writeHidden(String path, String stagingPath, java.util.OptionalLong size) throws IOException {
        return new CheckedHiddenWriter(delegate.writeHidden(checkPath(path), checkPath(stagingPath), size));
    }

    @Override
    public void move(String from, String to) throws IOException {
        delegate.move(checkPath(from), checkPath(to));
    }

    @Override
    public void delete(String path) throws IOException {
        if ("/".equals(checkPath(path))) throw new IllegalArgumentException("refusing to delete the storage root");
        delegate.delete(path);
    }

    @Override
    public List<String> list(String directory) throws IOException {
        return delegate.list(checkPath(directory));
    }

    @Override
    public List<String> listPage(String directory, String startAfter, int limit) throws IOException {
        if (limit <= 0) throw new IllegalArgumentException("limit must be positive");
        if (startAfter.indexOf('/') >= 0) throw new IllegalArgumentException("startAfter must be a name");
        return delegate.listPage(checkPath(directory), startAfter, limit);
    }

    @Override
    public java.util.Map<String, java.util.Set<String>> listDirectoriesWithChildStartingWith(String directory, String childPrefix) throws IOException {
        if (childPrefix.isEmpty() || childPrefix.indexOf('/') >= 0) throw new IllegalArgumentException("invalid child prefix");
        return delegate.listDirectoriesWithChildStartingWith(checkPath(directory), childPrefix);
    }

    @Override
    public List<FileInfo> statInEachChild(String directory, String relativePath) throws IOException {
        if (relativePath.startsWith("/")) throw new IllegalArgumentException("not a relative path: " + relativePath);
        checkPath("/" + relativePath);
        return delegate.statInEachChild(checkPath(directory), relativePath);
    }

    @Override
    public java.time.Duration presenceCacheTtl() {
        return delegate.presenceCacheTtl();
    }

    @Override
    public Optional<URI> redirect(String path) throws IOException {
        return delegate.redirect(checkPath(path));
    }

    @Override
    public int sweepTemporaryFiles(java.time.Instant cutoff) throws IOException {
        return delegate.sweepTemporaryFiles(cutoff);
    }
}
