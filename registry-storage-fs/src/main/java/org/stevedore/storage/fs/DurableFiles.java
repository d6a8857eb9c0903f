package org.stevedore.storage.fs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Small files this process itself made durable with {@link OrderedWrites}, so that writing the
 * same bytes there again can be skipped: a re-push of a manifest rewrites its revision link (and,
 * under the same tag, its tag links and referrers entry) with the bytes it already holds, which
 * cost a hidden file, a sync, a rename and a directory sync each.
 *
 * <p>Why a file found here is durable, and not merely visible. A file that holds the right bytes
 * may still rest on state a power loss would take back: another writer may have renamed it into
 * place and not yet synced its directory (a push in flight, or one killed between its rename and
 * its directory sync; its unsynced entry may even be a directory several levels up, the top of a
 * staged tree). So the bytes alone prove nothing. What is recorded here is a file <em>this
 * process</em> wrote and whose ordered write returned, so that the file, every directory staged
 * for it and the entry its rename made were synced; directories that existed before were, by the
 * same rule, made durable by whoever created them. The record names the file by its identity
 * ({@link BasicFileAttributes#fileKey()}: device and inode) and its modification time, both taken
 * from the hidden file before the rename, which keeps them. A later write skips only while the
 * path still leads to that same file: any replacement (rename, other process, reference registry
 * writing in place) changes the identity or the time and the write goes the normal way. A delete
 * through this driver drops the records below the deleted path; what is left is a file deleted by
 * another process (and its inode freed) and re-created at the same path with the same inode number
 * and the same modification time, that is within the timestamp tick (milliseconds) of the recorded
 * write, while that write was still syncing: a delete and a re-creation by others racing this very
 * push, which the identity check cannot tell apart and which no real client sequence makes.
 *
 * <p>Bounded: the most recently used {@value #MAX_FILES} files of at most {@value #MAX_BYTES}
 * bytes each (links, markers); a skip is an optimisation, never needed for correctness, and the
 * records are lost with the process.
 */
final class DurableFiles {
    static final int MAX_FILES = 1024;
    static final int MAX_BYTES = 256;

    /** A file as this process wrote it: identity, modification time, content. */
    record Mark(Object fileKey, FileTime modified, byte[] bytes) {
    }

    private final Map<Path, Mark> marks = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Path, Mark> eldest) {
            return size() > MAX_FILES;
        }
    };

    /**
     * Whether {@code target} is a file this process made durable, unchanged since, holding
     * {@code bytes}: one stat when recorded, nothing when not.
     */
    boolean holds(Path target, byte[] bytes) {
        if (bytes.length > MAX_BYTES) return false;
        Mark mark;
        synchronized (marks) {
            mark = marks.get(target);
        }
        if (mark == null || !Arrays.equals(mark.bytes(), bytes)) return false;
        BasicFileAttributes now;
        try {
            now = Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException gone) {
            forget(target);
            return false;
        }
        if (now.isRegularFile() && now.size() == bytes.length && mark.fileKey() != null
                && mark.fileKey().equals(now.fileKey()) && mark.modified().equals(now.lastModifiedTime())) {
            return true;
        }
        forget(target);
        return false;
    }

    /**
     * The mark of a hidden file just written with {@code bytes}, to {@link #record} once its
     * rename is durable; {@code null} when not worth keeping or the system has no file identity.
     */
    static Mark markOf(Path hidden, byte[] bytes) {
        if (bytes.length > MAX_BYTES) return null;
        BasicFileAttributes written;
        try {
            written = Files.readAttributes(hidden, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return null; // a concurrent delete: the write copes, it just is not remembered
        }
        if (written.fileKey() == null) return null;
        return new Mark(written.fileKey(), written.lastModifiedTime(), bytes.clone());
    }

    /** Records that {@code target} is now durable as {@code mark} says; call only after its directory sync. */
    void record(Path target, Mark mark) {
        Objects.requireNonNull(target, "target");
        if (mark == null) return;
        synchronized (marks) {
            marks.put(target, mark);
        }
    }

    void forget(Path target) {
        synchronized (marks) {
            marks.remove(target);
        }
    }

    /** Drops the records of {@code start} and everything below it (a delete). */
    void forgetUnder(Path start) {
        synchronized (marks) {
            marks.keySet().removeIf(path -> path.startsWith(start));
        }
    }
}
