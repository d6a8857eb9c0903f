package org.stevedore.storage.fs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The rename of {@link FilesystemDriver#move}: a file onto its new name, the directories it needs
 * created in place. It syncs nothing; it tells the caller which directories got new entries, so
 * that their syncs can run side by side with others ({@link OrderedWrites}, for an upload's
 * publication: the blob's move, then its repository link).
 */
final class Renames {
    private final Path root;
    private final Directories directories;

    Renames(Path root, Directories directories) {
        this.root = root;
        this.directories = directories;
    }

    /**
     * Renames {@code source} (storage path {@code from}, a regular file) onto {@code target},
     * replacing any file there.
     *
     * @return the directories whose entries the rename made: the target's directory, and the
     *     parent of every directory it created (a new blob's {@code <hex>} directory in its
     *     {@code <first two hex>} directory, maybe that one in {@code sha256}). A directory
     *     sync makes the entries durable; syncing only the target's directory would leave the
     *     new directories' own names to the file system (ext4 with a journal commits them with
     *     it, ext4 without one syncs new parents, neither is a promise of {@code fsync}).
     */
    List<Path> rename(String from, Path source, Path target) throws IOException {
        Path existing = target.getParent();
        while (!existing.equals(root) && existing.startsWith(root) && !Files.isDirectory(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        CommittedSizes.truncateToCommitted(source);
        CommittedSizes.forget(target); // the source's bytes are all committed now
        try {
            directories.withParents(target, () -> {
                SmallFileWrites.moveReplacing(source, target);
                return null;
            });
        } catch (NoSuchFileException e) {
            if (Files.notExists(source, LinkOption.NOFOLLOW_LINKS)) { // moved away meanwhile
                NoSuchFileException missing = new NoSuchFileException(from);
                missing.initCause(e);
                throw missing;
            }
            throw e;
        }
        CommittedSizes.forget(source);
        List<Path> changed = new ArrayList<>(3);
        for (Path directory = target.getParent(); directory.startsWith(existing); directory = directory.getParent()) {
            changed.add(directory);
        }
        return changed;
    }
}
