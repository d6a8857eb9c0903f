package org.stevedore.storage.fs;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes the hidden {@code .tmp-} files and trees that a killed process leaves below the root
 * (a {@code writeSmall} or append killed before its rename, a staged directory tree never moved
 * into place, a deleted tree renamed aside but not yet removed). Only entries whose newest
 * modification, anything inside included, is before the cutoff go: a write in progress touches
 * its temporary file as it writes, so it is younger than any sensible cutoff.
 */
final class TempSweeper {
    private static final Logger LOG = LoggerFactory.getLogger(TempSweeper.class);

    private TempSweeper() {
    }

    /** Deletes stale temporary entries below {@code root}; returns how many went. */
    static int sweep(Path root, Instant cutoff) throws IOException {
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) return 0;
        FileTime before = FileTime.from(cutoff);
        int[] removed = {0};
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path directory, BasicFileAttributes attributes) {
                if (!isTemp(directory)) return FileVisitResult.CONTINUE;
                if (newest(directory).compareTo(before) < 0 && deleteTree(directory)) removed[0]++;
                return FileVisitResult.SKIP_SUBTREE; // a temporary tree is never looked into further
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                if (isTemp(file) && attributes.lastModifiedTime().compareTo(before) < 0 && deleteTree(file)) removed[0]++;
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE; // gone meanwhile (deleted, renamed into place)
            }
        });
        if (removed[0] > 0) LOG.info("removed {} stale temporary files below {}", removed[0], root);
        return removed[0];
    }

    private static boolean isTemp(Path path) {
        Path name = path.getFileName();
        return name != null && name.toString().startsWith(FilesystemDriver.TEMP_PREFIX);
    }

    /** The latest modification time of {@code tree} and everything in it. */
    private static FileTime newest(Path tree) {
        try (var paths = Files.walk(tree)) {
            return paths.map(TempSweeper::modified).max(FileTime::compareTo).orElse(FileTime.from(Instant.MAX));
        } catch (IOException | java.io.UncheckedIOException e) {
            return FileTime.from(Instant.MAX); // changing under us: in use, keep it
        }
    }

    private static FileTime modified(Path path) {
        try {
            return Files.getLastModifiedTime(path, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return FileTime.from(Instant.MAX);
        }
    }

    private static boolean deleteTree(Path tree) {
        try (var paths = Files.walk(tree)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(path);
            return true;
        } catch (NoSuchFileException e) {
            return false; // renamed into place or removed meanwhile
        } catch (IOException | java.io.UncheckedIOException e) {
            LOG.warn("could not remove temporary {}: {}", tree, e.getMessage());
            return false;
        }
    }
}
