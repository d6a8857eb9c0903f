package org.stevedore.storage.fs;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.TRUNCATE_EXISTING;
import static java.nio.file.StandardOpenOption.WRITE;

import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.Objects;
import java.util.Optional;
import org.stevedore.storage.AppendWriter;
import org.stevedore.storage.Content;
import org.stevedore.storage.FileInfo;
import org.stevedore.storage.FileTooLargeException;
import org.stevedore.storage.HiddenWriter;
import org.stevedore.storage.SmallFile;
import org.stevedore.storage.StorageDriver;

/**
 * Storage in a local directory, named {@code filesystem}. Storage path {@code /a/b} is the file
 * {@code <root>/a/b}, so a directory written by the reference registry's filesystem driver (its
 * {@code rootdirectory}) is served as it is, and the other way round.
 *
 * <ul>
 *   <li>{@link #writeSmall} writes a temporary file ({@code .tmp-<uuid>}, hidden from {@link #list})
 *       beside the target, syncs it and renames it over the target: readers see the old or the
 *       new bytes, and a crash leaves one or the other.
 *   <li>{@link #open} returns {@link Content.OfFile}, so whole files and ranges go to the socket
 *       with a kernel copy.
 *   <li>{@link #append} writes a new file aside and renames it into place on commit; it appends
 *       to an existing file in place. Commit syncs (and records the committed size beside the
 *       file, in {@code .committed-<name>}); closing without a commit truncates the file back to
 *       its size at open, and {@link AppendWriter#cancel()} deletes it. Uncommitted bytes of an
 *       in-place append are in the file until the writer ends, and a process killed before that
 *       leaves them there until the next writer opens, which cuts the file back to its committed
 *       size; {@link #stat} and {@link #open} never count them. The
 *       registry serialises the writers of an upload, and rebuilds its state from the stored bytes.
 *   <li>{@link #delete} also removes the directories it leaves empty, up to the root, so that a
 *       directory exists only while it holds files, as with every other driver: listings of
 *       repositories or tags never show empty leftovers.
 * </ul>
 *
 * <p>Thread-safe: the driver holds no state but its root. Paths are expected to be checked by
 * {@link org.stevedore.storage.CheckedDriver}; the driver still refuses any path that would
 * resolve outside its root. The root directory is created by the first write.
 */
public final class FilesystemDriver implements StorageDriver {

    /** Prefix of the temporary files of {@link #writeSmall}; never a storage path the registry uses. */
    static final String TEMP_PREFIX = ".tmp-";

    private final Path root;
    private final Directories directories;
    private final StagedTrees staged;
    private final OrderedWrites ordered;
    private final Renames renames;
    private final SmallFileWrites small;
    /**
     * Runs the background syncs of {@link FileAppendWriter}, at most one at a time per open
     * writer, and the side-by-side syncs of {@link OrderedWrites}, a few per request; idle
     * threads end after a minute.
     */
    private static final java.util.concurrent.ExecutorService SYNCER =
            java.util.concurrent.Executors.newCachedThreadPool(task -> {
                Thread thread = new Thread(task, "stevedore-fs-sync");
                thread.setDaemon(true);
                return thread;
            });

    private FilesystemDriver(Path root) {
        this.root = root.toAbsolutePath().normalize();
        this.directories = new Directories(this.root);
        this.staged = new StagedTrees(this.root);
        this.ordered = new OrderedWrites(this, this.root, SYNCER);
        this.renames = new Renames(this.root, directories);
        this.small = new SmallFileWrites(directories, staged);
    }

    /** A driver storing below {@code root}, which need not exist yet. */
    public static FilesystemDriver at(Path root) {
        return new FilesystemDriver(Objects.requireNonNull(root, "root"));
    }

    /** The directory this driver stores below. */
    public Path root() {
        return root;
    }

    @Override
    public String name() {
        return "filesystem";
    }

    @Override
    public Optional<FileInfo> stat(String path) throws IOException {
        Path file = resolve(path);
        BasicFileAttributes attributes = attributes(file);
        if (attributes == null) return Optional.empty();
        boolean directory = attributes.isDirectory();
        return Optional.of(new FileInfo(path, directory ? 0 : CommittedSizes.visibleSize(file, attributes.size()),
                attributes.lastModifiedTime().toInstant(), directory));
    }

    @Override
    public byte[] readSmall(String path, int maxBytes) throws IOException {
        if (maxBytes < 0) throw new IllegalArgumentException("negative maxBytes");
        return SmallReads.read(root, resolve(path), path, maxBytes);
    }

    @Override
    public void writeSmall(String path, byte[] bytes) throws IOException {
        write(path, bytes, true);
    }

    /**
     * As {@link #writeSmall}, the same temporary file, rename and staged directories (so a killed
     * process still leaves the old file or the new one, and no directory without its file), minus
     * the file's and the directories' syncs. A process killed afterwards loses nothing: the page
     * cache outlives it. Only a crash of the machine can.
     */
    @Override
    public void writeSmallUnsynced(String path, byte[] bytes) throws IOException {
        write(path, bytes, false);
    }

    private void write(String path, byte[] bytes, boolean durable) throws IOException {
        Objects.requireNonNull(bytes, "bytes");
        Path target = resolveFile(path);
        CommittedSizes.forget(target); // the bytes that follow are committed whole
        small.write(target, bytes, durable);
    }

    /** See {@link OrderedWrites}: the syncs of all files overlap, their renames keep the order. */
    @Override
    public void writeSmallInOrder(List<SmallFile> files) throws IOException {
        ordered.write(files, resolveAll(files), List.of());
    }

    private List<Path> resolveAll(List<SmallFile> files) throws IOException {
        List<Path> targets = new ArrayList<>(files.size());
        for (SmallFile file : files) {
            Path target = resolveFile(file.path());
            CommittedSizes.forget(target); // the bytes that follow are committed whole
            targets.add(target);
        }
        return targets;
    }

    /**
     * Opens (creating) and empties the file in place and sets its time: no temporary file, no
     * sync, since a marker need not survive a crash (see {@link StorageDriver#touch}).
     */
    @Override
    public void touch(String path) throws IOException {
        Path file = resolveFile(path);
        Directories.IoAction<Void> touch = () -> {
            FileChannel.open(file, CREATE, WRITE, TRUNCATE_EXISTING).close();
            Files.setLastModifiedTime(file, FileTime.from(Instant.now()));
            return null;
        };
        try {
            touch.run(); // two system calls where the directory exists, as it mostly does
        } catch (NoSuchFileException e) {
            directories.withParents(file, touch);
        }
    }

    /** A hard link from the synced temporary file: the kernel makes it only where no file is. */
    @Override
    public boolean createSmall(String path, byte[] bytes) throws IOException {
        Objects.requireNonNull(bytes, "bytes");
        return small.create(resolveFile(path), bytes);
    }

    @Override
    public Content open(String path, long offset) throws IOException {
        if (offset < 0) throw new IllegalArgumentException("negative offset");
        Path file = resolve(path);
        requireFile(path, file);
        FileChannel channel;
        try {
            channel = FileChannel.open(file, READ);
        } catch (NoSuchFileException e) {
            throw missing(path, e);
        }
        try {
            // Of what this channel reads, even if the path is replaced now; never past the commit.
            long size = CommittedSizes.visibleSize(file, channel.size());
            if (offset > size) throw new EOFException(path + ": offset " + offset + " is past the end (" + size + " bytes)");
            channel.position(offset);
            return new Content.OfFile(channel, offset, size - offset);
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel, e);
            throw e;
        }
    }

    @Override
    public AppendWriter append(String path) throws IOException {
        Path file = resolveFile(path);
        return directories.withParents(file, () -> FileAppendWriter.open(this, path, file, SYNCER));
    }

    /**
     * Commits a new file of {@link FileAppendWriter}: renames its synced temporary file into place,
     * then syncs its directory and every directory above it up to the root. The file's name must
     * survive a crash, and so must the names of the directories leading to it, which
     * {@link #writeSmallUnsynced} may have just created without a sync (an upload session's
     * directory, its repository's {@code _uploads}, a new repository). Syncing a directory whose
     * changes are already on disk costs little, but under other writers' load each sync may still
     * wait for a journal commit or a cache flush of its own, so the ancestors are synced side by
     * side on the sync threads while this thread syncs the directory itself: their waits overlap.
     */
    void replaceWith(Path temp, Path file) throws IOException {
        SmallFileWrites.moveReplacing(temp, file);
        List<CompletableFuture<Void>> ancestors = new ArrayList<>();
        for (Path directory = file.getParent().getParent(); directory.startsWith(root); directory = directory.getParent()) {
            Path synced = directory;
            ancestors.add(CompletableFuture.runAsync(() -> Directories.sync(synced), SYNCER));
        }
        Directories.sync(file.getParent());
        for (CompletableFuture<Void> ancestor : ancestors) ancestor.join(); // Directories.sync never throws
    }

    @Override
    public void move(String from, String to) throws IOException {
        moveFile(from, requireFile(from, resolve(from)), to);
    }

    /**
     * A hidden write straight into place: the bytes go to a temporary file beside
     * {@code stagingPath}, and the commit renames that file to {@code path} ({@link FileHiddenWriter}),
     * without first renaming it to {@code stagingPath} and syncing the directories up to the root.
     */
    @Override
    public HiddenWriter writeHidden(String path, String stagingPath, java.util.OptionalLong size) throws IOException {
        resolveFile(path); // a target outside the root fails now, before any byte is written
        return new FileHiddenWriter(this, path, stagingPath, (FileAppendWriter) append(stagingPath), size);
    }

    /** {@link #move} of a file this driver holds outside any storage path (a sealed hidden write). */
    void moveFile(String from, Path source, String to) throws IOException {
        for (Path changed : renames.rename(from, source, resolveFile(to))) Directories.sync(changed);
    }

    /** {@link #moveThenWriteInOrder} of a file this driver holds outside any storage path. */
    void moveFileThenWriteInOrder(String from, Path source, String to, List<SmallFile> files) throws IOException {
        Path target = resolveFile(to);
        List<Path> targets = resolveAll(files);
        ordered.write(files, targets, renames.rename(from, source, target));
    }

    /**
     * The rename of {@link #move}, then {@link #writeSmallInOrder} with the rename's directory
     * syncs in its first round ({@link Renames}): two rounds of syncs side by side in all, instead
     * of the move's sync followed by the files' own rounds.
     */
    @Override
    public void moveThenWriteInOrder(String from, String to, List<SmallFile> files) throws IOException {
        moveFileThenWriteInOrder(from, requireFile(from, resolve(from)), to, files);
    }

    @Override
    public void delete(String path) throws IOException {
        Path start = resolve(path);
        if (start.equals(root)) throw new IllegalArgumentException("refusing to delete the storage root");
        CommittedSizes.forget(start); // first: without its record a file counts as committed whole
        // A directory leaves listings in one rename; a kill during the walk leaves hidden debris only.
        Path walked = staged.hide(start).orElse(start);
        TreeDeletion.delete(root, walked);
        OrderedWrites.forgetDurable(start);
        directories.removeEmpty(start.getParent());
    }

    @Override
    public List<String> list(String directory) throws IOException {
        return DirectoryListings.list(root, resolve(directory), directory);
    }

    @Override
    public List<String> listPage(String directory, String startAfter, int limit) throws IOException {
        return DirectoryListings.page(resolve(directory), directory, startAfter, limit);
    }

    /** Removes stale {@code .tmp-} files and trees that killed writers left ({@link TempSweeper}). */
    @Override
    public int sweepTemporaryFiles(java.time.Instant cutoff) throws IOException {
        return TempSweeper.sweep(root, cutoff);
    }

    /** The file of a storage path; never outside the root, whatever the path. */
    private Path resolve(String path) {
        if (path.equals("/")) return root;
        if (!path.startsWith("/")) throw new IllegalArgumentException("storage paths are absolute: " + path);
        Path resolved = root.resolve(path.substring(1)).normalize();
        if (!resolved.startsWith(root) || resolved.equals(root)) {
            throw new IllegalArgumentException("storage path outside the root: " + path);
        }
        return resolved;
    }

    /** The file of a storage path that is about to be written: never the root directory. */
    private Path resolveFile(String path) throws IOException {
        Path file = resolve(path);
        if (file.equals(root)) throw new FileSystemException(path, null, "is a directory");
        return file;
    }

    /** Attributes of an existing file or directory; {@code null} when missing. */
    private BasicFileAttributes attributes(Path file) throws IOException {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class);
        } catch (FileSystemException e) {
            if (isMissing(file, e)) return null;
            throw e;
        }
    }

    /** {@code file}, once known to be a regular file, which is what reading and moving need. */
    private Path requireFile(String path, Path file) throws IOException {
        BasicFileAttributes attributes = attributes(file);
        if (attributes == null) throw missing(path, null);
        if (attributes.isDirectory()) throw new NoSuchFileException(path, null, "is a directory");
        return file;
    }

    private boolean isMissing(Path file, IOException e) {
        return MissingPaths.isMissing(root, file, e);
    }

    /** A missing-file error naming the storage path, not the host path. */
    private static NoSuchFileException missing(String path, IOException cause) {
        NoSuchFileException e = new NoSuchFileException(path);
        if (cause != null) e.initCause(cause);
        return e;
    }

    private static void closeQuietly(FileChannel channel, Throwable failure) {
        try {
            channel.close();
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }
}
