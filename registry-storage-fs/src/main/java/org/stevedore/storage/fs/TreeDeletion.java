package org.stevedore.storage.fs;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/** Deleting a file or a whole tree, tolerating parts that others delete at the same time. */
final class TreeDeletion {
    private TreeDeletion() {
    }

    /** Deletes {@code start} (a file or a directory tree below {@code root}); a missing path is fine. */
    static void delete(Path root, Path start) throws IOException {
        try {
            Files.walkFileTree(start, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    Files.deleteIfExists(file); // a symbolic link is removed, never followed
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (MissingPaths.isMissing(root, file, e)) return FileVisitResult.CONTINUE; // deleted concurrently, or never there
                    throw e;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path directory, IOException e) throws IOException {
                    if (e != null) throw e;
                    try {
                        Files.deleteIfExists(directory);
                    } catch (DirectoryNotEmptyException written) {
                        // A writer made a file here after the walk listed the directory (only a
                        // tree that was missing when the delete tried to hide it can be written
                        // meanwhile): that write comes after this delete, and stays.
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (NoSuchFileException e) {
            // already gone: deleting a missing path is fine
        }
    }
}
