package org.stevedore.storage.fs;

import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.WRITE;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.UUID;

/**
 * Makes directory trees appear and disappear in one rename, so that a process killed half-way
 * never leaves a visible directory without its file, or a file's directory without the file: a
 * tag listed with no link, a manifest revision with no link. What a kill leaves instead is a
 * hidden {@code .tmp-} tree, which listings skip.
 */
final class StagedTrees {
    private final Path root;

    StagedTrees(Path root) {
        this.root = root;
    }

    /**
     * Writes {@code bytes} to {@code target} whose parent directory is missing: builds the missing
     * directories aside, under a hidden name, and renames the topmost into place. With
     * {@code durable}, the file and the directories are synced before the rename and the base
     * after it; without, nothing is synced and only a crash of the machine can lose the tree.
     *
     * @return false when this cannot be done (the parent appeared meanwhile, or no ancestor
     *     exists yet); the caller then writes the usual way
     */
    boolean writeInNewDirectories(Path target, byte[] bytes, boolean durable) throws IOException {
        Path top = target.getParent();
        if (top.equals(root) || !top.startsWith(root)) return false;
        while (!top.getParent().equals(root) && !Files.isDirectory(top.getParent(), LinkOption.NOFOLLOW_LINKS)) {
            top = top.getParent();
        }
        Path base = top.getParent();
        if (!Files.isDirectory(base, LinkOption.NOFOLLOW_LINKS) || Files.exists(top, LinkOption.NOFOLLOW_LINKS)) return false;
        Path staging = base.resolve(FilesystemDriver.TEMP_PREFIX + UUID.randomUUID());
        Path staged = staging.resolve(top.relativize(target));
        try {
            Files.createDirectories(staged.getParent());
            try (FileChannel channel = FileChannel.open(staged, CREATE_NEW, WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) channel.write(buffer);
                if (durable) channel.force(true);
            }
            if (durable) Directories.sync(staged.getParent());
        } catch (NoSuchFileException e) {
            deleteTree(staging);
            return false; // a delete removed the base meanwhile: write as usual, which retries
        } catch (IOException | RuntimeException e) {
            deleteTree(staging);
            throw e;
        }
        try {
            Files.move(staging, top, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileSystemException e) {
            // Another writer made the directory first (not empty), or a delete removed the base:
            // write as usual, which copes with both.
            deleteTree(staging);
            return false;
        } catch (IOException | RuntimeException e) {
            deleteTree(staging);
            throw e;
        }
        if (durable) Directories.sync(base);
        return true;
    }

    /**
     * Renames a directory away under a hidden name in its parent, so it disappears from listings
     * at once; returns the new name for the caller to delete. Empty when it is missing or a file.
     */
    Optional<Path> hide(Path directory) throws IOException {
        if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) return Optional.empty();
        Path hidden = directory.resolveSibling(FilesystemDriver.TEMP_PREFIX + UUID.randomUUID());
        try {
            Files.move(directory, hidden, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            return Optional.empty(); // deleted concurrently
        }
        return Optional.of(hidden);
    }

    private static void deleteTree(Path tree) {
        try (var paths = Files.walk(tree)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // hidden debris at worst
                }
            });
        } catch (IOException ignored) {
            // nothing was created
        }
    }
}
