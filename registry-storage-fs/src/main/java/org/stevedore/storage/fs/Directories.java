package org.stevedore.storage.fs;

import static java.nio.file.StandardOpenOption.READ;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The directories of a {@link FilesystemDriver}'s tree: made on demand for a write, removed when
 * a delete empties them, synced after a rename. Writers and deleters race over the same parents,
 * so making them retries a parent that vanished meanwhile.
 */
final class Directories {
    private static final Logger log = LoggerFactory.getLogger(Directories.class);
    private static final int PARENT_ATTEMPTS = 10;

    private final Path root;

    Directories(Path root) {
        this.root = root;
    }

    /**
     * Creates the parents of {@code target}, then runs {@code action}. Retries when the parent
     * vanished in between: a concurrent {@link FilesystemDriver#delete} removes directories it found empty.
     */
    <T> T withParents(Path target, IoAction<T> action) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                createParents(target.getParent());
                return action.run();
            } catch (NoSuchFileException e) {
                // Whether the parent exists now says nothing: another writer may have made it
                // again already. So retry on any "missing"; a bounded number of times, since a
                // missing move source is reported the same way.
                if (attempt >= PARENT_ATTEMPTS) throw e;
                log.debug("parent of {} removed concurrently; retrying", target);
            }
        }
    }

    /**
     * {@link Files#createDirectories}, which reports a directory removed between its own create
     * and check as {@link java.nio.file.FileAlreadyExistsException}: retried like a vanished parent.
     */
    private static void createParents(Path directory) throws IOException {
        try {
            Files.createDirectories(directory);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            if (Files.exists(directory, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(directory)) throw e;
            NoSuchFileException vanished = new NoSuchFileException(directory.toString());
            vanished.initCause(e);
            throw vanished;
        }
    }

    /**
     * Makes a rename in {@code directory} durable. Best effort: some systems (Windows) cannot
     * open a directory, and the rename itself has happened either way.
     */
    static void sync(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, READ)) {
            channel.force(true);
        } catch (IOException e) {
            log.trace("cannot sync directory {}", directory, e);
        }
    }

    /** Removes {@code directory} and its ancestors below the root while they are empty directories. */
    void removeEmpty(Path directory) {
        for (Path dir = directory; dir != null && !dir.equals(root) && dir.startsWith(root); dir = dir.getParent()) {
            // Files.delete removes files and links too: deleting a missing path below a file
            // must not take that file with it.
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) return;
                continue; // removed by a concurrent delete; its parent may be empty now too
            }
            try {
                Files.delete(dir);
            } catch (DirectoryNotEmptyException e) {
                return; // in use, and so are its ancestors
            } catch (NoSuchFileException e) {
                // removed by a concurrent delete; its parent may be empty now too
            } catch (IOException e) {
                log.debug("cannot remove empty directory {}", dir, e);
                return;
            }
        }
    }

    @FunctionalInterface
    interface IoAction<T> {
        T run() throws IOException;
    }
}
