package org.stevedore.storage.fs;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Which file-system failures mean "this storage path does not exist". */
final class MissingPaths {
    private MissingPaths() {
    }

    /**
     * Whether a failure means the path does not exist. Below a regular file the system reports
     * "not a directory" rather than "no such file"; for storage, which has no such distinction,
     * both mean missing.
     */
    static boolean isMissing(Path root, Path file, IOException e) {
        if (e instanceof NoSuchFileException) return true;
        if (!(e instanceof FileSystemException)) return false;
        for (Path ancestor = file.getParent(); ancestor != null && ancestor.startsWith(root); ancestor = ancestor.getParent()) {
            if (Files.isRegularFile(ancestor, LinkOption.NOFOLLOW_LINKS)) return true;
        }
        return false;
    }
}
