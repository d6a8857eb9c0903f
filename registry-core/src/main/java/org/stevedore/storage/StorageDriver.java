package org.stevedore.storage;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;

/**
 * Bytes at paths: the whole contract a storage backend implements. A driver knows nothing about
 * OCI; every registry rule lives above it. Paths are absolute, {@code /}-separated, without
 * {@code .}, {@code ..} or empty segments (checked once by {@link CheckedDriver}). A path is a
 * file or a directory; directories exist implicitly while they contain files.
 *
 * <p>Implementations are thread-safe. "Missing" is never an exception where the method says what
 * it returns for it; other failures are {@link IOException}s.
 */
public interface StorageDriver {

    /** A short name for logs and errors: {@code filesystem}, {@code inmemory}, {@code s3}. */
    String name();

    /** Size and modification time of a file, whether a directory exists; empty when missing. */
    Optional<FileInfo> stat(String path) throws IOException;

    /**
     * Size and modification time of a file; empty when missing or a directory. For callers that
     * know the path names a file (a link, a blob's data): on a store without directories, telling
     * a missing file from a directory costs a listing that this method does not make.
     */
    default Optional<FileInfo> statFile(String path) throws IOException {
        return stat(path).filter(info -> !info.isDirectory());
    }

    /**
     * The whole content of a small file (links, timestamps, manifests).
     *
     * @throws java.nio.file.NoSuchFileException when missing
     * @throws FileTooLargeException when larger than {@code maxBytes}; nothing is truncated
     */
    byte[] readSmall(String path, int maxBytes) throws IOException;

    /** Replaces the file atomically and durably: readers see the old or the new bytes, never a mix. */
    void writeSmall(String path, byte[] bytes) throws IOException;

    /**
     * Writes each file as {@link #writeSmall} does, in order: whoever sees one of them sees those
     * before it too. All are durable when this returns; a failure may leave a prefix written. A
     * manifest push links its revision, then its tag, this way. The default writes them one after
     * another; a store may overlap the work as long as the order of visibility holds.
     */
    default void writeSmallInOrder(List<SmallFile> files) throws IOException {
        for (SmallFile file : files) writeSmall(file.path(), file.bytes());
    }

    /**
     * Writes a file as {@link #writeSmall} does for everyone reading the store (the old or the new
     * bytes, never a mix; the directories it needs appear with it), but need not make it survive a
     * crash of the machine: a store may skip the syncs that make a write durable, and a power loss
     * may then lose the file and the directories this call created. For records that nothing
     * acknowledged depends on until a later durable write makes it so (an upload session's start:
     * see {@code UploadService#start}). The default is {@link #writeSmall}.
     */
    default void writeSmallUnsynced(String path, byte[] bytes) throws IOException {
        writeSmall(path, bytes);
    }

    /**
     * Leaves an empty file at {@code path} modified now: creates it, or refreshes the time of the
     * empty file there. For markers whose time is all they say (a blob's last use), which whoever
     * stats them sees once this returns. Unlike {@link #writeSmall} it need not survive a crash:
     * a store may skip the syncs that make a write durable. The default writes an empty file.
     */
    default void touch(String path) throws IOException {
        writeSmall(path, new byte[0]);
    }

    /**
     * Creates a small file only if nothing is at {@code path}: true if this call created it,
     * false if a file was there (it is left as it is). Atomic across every process sharing the
     * store: of concurrent creators at most one gets true, and readers see the whole file or
     * none. An optional capability, for coordination through the store alone (the fleet's
     * garbage collection lease): the default refuses it, and callers then go without.
     *
     * @throws UnsupportedOperationException where the store cannot create exclusively
     */
    default boolean createSmall(String path, byte[] bytes) throws IOException {
        throw new UnsupportedOperationException(name() + " cannot create a file exclusively");
    }

    /**
     * Opens a file for reading from {@code offset}. The caller closes the result.
     *
     * @throws java.nio.file.NoSuchFileException when missing
     * @throws java.io.EOFException when {@code offset} is past the end
     */
    Content open(String path, long offset) throws IOException;

    /**
     * Opens a writer that appends to the file, creating it if missing. A writer opened on another
     * node or after a restart continues after the last committed byte. The caller commits or
     * closes it.
     */
    AppendWriter append(String path) throws IOException;

    /**
     * Opens a writer for a whole file that becomes visible at {@code path} only when the writer
     * commits (replacing any file there); {@code close()} without a commit discards it. For a
     * file whose name is known before its bytes and which must not be seen until they are checked:
     * a blob pushed in one request, written straight to its place once its digest matches. The
     * caller closes the writer.
     *
     * <p>{@code stagingPath} is a file path that no file occupies, in a directory the caller owns
     * and deletes when it gives up (an upload session's {@code data}). Whatever the store needs to
     * find and discard an unfinished write lives at or beside it, so deleting that directory
     * discards the write from any node, also after a crash. A write killed before it recorded that
     * much leaves only what {@link #sweepTemporaryFiles} removes. Until the commit, neither
     * {@link #list} nor {@link #stat} shows anything new at {@code path}; what shows at
     * {@code stagingPath} meanwhile is the store's affair (the caller deletes it either way).
     *
     * <p>The default appends to {@code stagingPath} and moves it to {@code path} on commit; a store
     * where a move rewrites the bytes (S3) writes them at {@code path} directly and publishes them
     * on commit (S3: a multipart upload completed then, aborted otherwise).
     *
     * @param size how many bytes the caller will write, where it knows (a request's
     *     {@code Content-Length}): a store may then send them as one request, holding back the
     *     last bytes until the commit. Writing another number of bytes fails the commit.
     * @throws WriteConflictException where the store finds bytes at {@code stagingPath}
     */
    default HiddenWriter writeHidden(String path, String stagingPath, java.util.OptionalLong size) throws IOException {
        return new StagedHiddenWriter(this, path, stagingPath, size);
    }

    /** Moves a file, replacing any file at {@code to}. Atomic where the backend allows. */
    void move(String from, String to) throws IOException;

    /**
     * {@link #move}, then {@link #writeSmallInOrder}: whoever sees one of {@code files} sees the
     * moved file too, and all of it is durable when this returns. An upload's publication: its
     * bytes into the blob store, then the repository's link. The default does one after the
     * other; a store may overlap their syncs as long as that order holds.
     */
    default void moveThenWriteInOrder(String from, String to, List<SmallFile> files) throws IOException {
        move(from, to);
        writeSmallInOrder(files);
    }

    /** Deletes a file or a directory with everything below it; a missing path is fine. */
    void delete(String path) throws IOException;

    /**
     * Full paths of the direct children (files and directories) of a directory, in any order.
     * A missing directory gives an empty list.
     */
    List<String> list(String directory) throws IOException;

    /**
     * Up to {@code limit} direct children of a directory (full paths, files and directories) whose
     * names sort after {@code startAfter} ({@link String#compareTo} of the names; the empty string
     * starts at the first), in that order. A missing directory gives an empty list. For listings
     * paged through a large directory (the catalog index, a repository's tags) at a cost bounded
     * by the page, not the directory. The default sorts the whole {@link #list}; a store that keeps
     * its keys sorted overrides it (S3: {@code ListObjectsV2} with {@code StartAfter} and
     * {@code MaxKeys}).
     *
     * @throws IllegalArgumentException if {@code limit} is not positive or {@code startAfter}
     *     holds a {@code /}
     */
    default List<String> listPage(String directory, String startAfter, int limit) throws IOException {
        return ListPages.firstAfter(list(directory), startAfter, limit);
    }

    /**
     * Every directory at any depth below {@code directory} (itself excluded) with a direct child
     * whose name starts with {@code childPrefix}, mapped to the names of those children, or to an
     * empty set where the store cannot tell them cheaply. Such children are not looked into, other
     * children are. A missing directory gives an empty map. For listings that would otherwise cost
     * one sequential {@link #list} per directory (the repository catalog marks repositories by
     * children named {@code _…}). The default walks with {@link #list}; a store that can answer in
     * fewer round trips overrides it (S3: one paged listing whose delimiter is
     * {@code "/" + childPrefix}).
     */
    default Map<String, Set<String>> listDirectoriesWithChildStartingWith(String directory, String childPrefix)
            throws IOException {
        Map<String, Set<String>> found = new HashMap<>();
        Deque<String> pending = new ArrayDeque<>(List.of(directory));
        while (!pending.isEmpty()) {
            String current = pending.pop();
            Set<String> marked = new HashSet<>();
            for (String child : list(current)) {
                String name = child.substring(child.lastIndexOf('/') + 1);
                if (name.startsWith(childPrefix)) marked.add(name);
                else pending.push(child);
            }
            if (!marked.isEmpty() && !current.equals(directory)) found.put(current, marked);
        }
        return found;
    }

    /**
     * For each direct child directory {@code C} of {@code directory}, the file at
     * {@code C/relativePath} with its size and modification time, where there is one; in any
     * order. A missing directory gives an empty list. For reading one small file's time in each of
     * thousands of directories at once: the web UI sorts a repository's tags by the modification
     * time of each tag's {@code current/link}. Times are those {@link #stat} gives; sizes too,
     * except that a file an append writer is still extending may list with what the store holds so
     * far. The default lists {@code directory} and stats each child's file, the cheapest way on a
     * filesystem; a store where each stat is a network round trip overrides it (S3: one paged
     * listing of the keys below, a request per 1,000 keys, instead of a HEAD per child).
     *
     * @param relativePath a relative path ({@code "current/link"}): no leading {@code /}, no
     *                     empty, {@code .} or {@code ..} segments
     */
    default List<FileInfo> statInEachChild(String directory, String relativePath) throws IOException {
        List<FileInfo> files = new java.util.ArrayList<>();
        for (String child : list(directory)) {
            statFile(child + "/" + relativePath).ifPresent(files::add);
        }
        return files;
    }

    /**
     * How long the registry may reuse what a stat told it about files that only a delete
     * removes (a blob's bytes and size, a blob link) before asking the store again. Zero, the
     * default, for stores where a stat is cheap; a store where each stat is a network round trip
     * returns a few seconds, which is then how long a delete made through another node sharing
     * the store may go unseen by this one.
     */
    default java.time.Duration presenceCacheTtl() {
        return java.time.Duration.ZERO;
    }

    /**
     * Removes what writers killed mid-write left behind (a store's own temporary files, invisible
     * to {@link #list}, and unfinished {@link #writeHidden} writes) that was last modified before
     * {@code cutoff}; returns how many went. Run by garbage collection. The default does nothing:
     * most stores write atomically.
     */
    default int sweepTemporaryFiles(java.time.Instant cutoff) throws IOException {
        return 0;
    }

    /**
     * A URL a client may fetch the file from directly (presigned, time-limited), if the backend
     * offers one. Never log it: it is a credential.
     */
    default Optional<URI> redirect(String path) throws IOException {
        return Optional.empty();
    }
}
