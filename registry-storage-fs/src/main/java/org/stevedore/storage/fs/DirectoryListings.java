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
     */
    static List<String> page(Path dir, String directory, String startAfter, int limit) throws IOException {
        String[] names = dir.toFile().list();
        if (names == null) {
            if (Files.isDirectory(dir)) throw new IOException("cannot list " + directory);
            return List.of(); // missing, or a file
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
