package org.stevedore.storage.fs;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.stevedore.storage.ListPages;

/** The children of a directory as storage paths, without the driver's hidden bookkeeping files. */
final class DirectoryListings {
    /** Reads of a directory that keeps vanishing and coming back before one counts as failed. */
    private static final int LIST_ATTEMPTS = 10;

    private DirectoryListings() {
    }

    /** Every visible child of {@code dir} (storage path {@code directory}); a missing directory has none. */
    static List<String> list(Path root, Path dir, String directory) throws IOException {
        String prefix = prefix(directory);
        List<String> children = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (visible(name)) children.add(prefix + name);
            }
        } catch (NoSuchFileException | NotDirectoryException e) {
            return List.of();
        } catch (FileSystemException e) {
            if (MissingPaths.isMissing(root, dir, e)) return List.of();
            throw e;
        }
        return children;
    }

    /**
     * One readdir as plain names ({@link java.io.File#list}: no path object per entry), keeping only
     * the page's names while it looks: a first page of a 100,000-entry directory (the catalog
     * index) costs a pass over the names, not a listing of paths and a sort.
     *
     * <p>{@link java.io.File#list} says only "failed": a directory that a delete removed (it
     * emptied it) while another writer made it again a moment later, as upload sessions ending
     * and starting do with the session markers' directory, fails the read and is a directory
     * again when looked at. So a failed read of a path that is a directory is tried again, a
     * bounded number of times, before it counts as an error.
     */
    static List<String> page(Path dir, String directory, String startAfter, int limit) throws IOException {
        String[] names = dir.toFile().list();
        for (int attempt = 1; names == null; attempt++) {
            if (!Files.isDirectory(dir)) return List.of(); // missing, or a file
            if (attempt >= LIST_ATTEMPTS) throw new IOException("cannot list " + directory);
            names = dir.toFile().list();
        }
        List<String> visible = new ArrayList<>(names.length);
        for (String name : names) {
            if (visible(name)) visible.add(name);
        }
        List<String> page = ListPages.firstNamesAfter(visible, startAfter, limit);
        String prefix = prefix(directory);
        page.replaceAll(name -> prefix + name);
        return page;
    }

    /** Temporary files and committed-size records are the driver's own, never the caller's. */
    private static boolean visible(String name) {
        return !name.startsWith(FilesystemDriver.TEMP_PREFIX) && !name.startsWith(CommittedSizes.PREFIX);
    }

    private static String prefix(String directory) {
        return directory.equals("/") ? "/" : directory + "/";
    }
}
