package org.stevedore.storage.fs;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.stevedore.storage.FileInfo;

/**
 * {@link FilesystemDriver#listFilesBelow}: one tree walk whose directory reads carry each file's
 * attributes, so 10,000 tag links cost one walk rather than 10,000 separate stats. Hidden files
 * (temporary files, committed-size records) and staging trees are left out, as {@code list}
 * leaves them out; a file with a committed-size record lists with that size, as {@code stat} says.
 */
final class FileTreeListing {
    private FileTreeListing() {
    }

    static List<FileInfo> filesBelow(Path start, String directory) throws IOException {
        if (!Files.isDirectory(start)) return List.of(); // missing, or a file: nothing below it
        String prefix = directory.equals("/") ? "" : directory;
        List<FileInfo> files = new ArrayList<>();
        Set<Path> recorded = new HashSet<>();
        try {
            Files.walkFileTree(start, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                    boolean staging = !dir.equals(start) && dir.getFileName().toString().startsWith(FilesystemDriver.TEMP_PREFIX);
                    return staging ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    String name = file.getFileName().toString();
                    if (name.startsWith(CommittedSizes.PREFIX)) {
                        recorded.add(file.resolveSibling(name.substring(CommittedSizes.PREFIX.length())));
                    } else if (!name.startsWith(FilesystemDriver.TEMP_PREFIX) && attributes.isRegularFile()) {
                        String relative = start.relativize(file).toString().replace('\\', '/');
                        files.add(new FileInfo(prefix + "/" + relative, attributes.size(),
                                attributes.lastModifiedTime().toInstant(), false));
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (e instanceof NoSuchFileException) return FileVisitResult.CONTINUE; // deleted meanwhile
                    throw e;
                }
            });
        } catch (NoSuchFileException | NotDirectoryException missing) {
            return List.of();
        }
        if (recorded.isEmpty()) return files;
        List<FileInfo> corrected = new ArrayList<>(files.size());
        for (FileInfo info : files) {
            Path file = start.resolve(info.path().substring(prefix.length() + 1));
            OptionalLong committed = recorded.contains(file) ? CommittedSizes.read(file) : OptionalLong.empty();
            corrected.add(committed.isPresent()
                    ? new FileInfo(info.path(), Math.min(committed.getAsLong(), info.size()), info.modified(), false) : info);
        }
        return corrected;
    }
}
