package org.stevedore.storage.fs;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.UUID;

/**
 * Checks a storage root before a server takes it: that it is (or can be made) a directory, and
 * that a file can be created, written and deleted there, so that a root the server cannot write
 * stops the start with one plain sentence instead of failing the first push with a 500.
 */
public final class StorageRoot {
    private StorageRoot() {
    }

    /**
     * Creates {@code root} if needed and, when {@code writable}, proves a file can be written there.
     *
     * @return the root as an absolute, normalized path
     * @throws IOException whose message says what is wrong in words ("is a file, not a directory")
     */
    public static Path prepare(Path root, boolean writable) throws IOException {
        Path absolute = root.toAbsolutePath().normalize();
        if (Files.exists(absolute) && !Files.isDirectory(absolute)) {
            throw new IOException("storage root " + absolute + " is a file, not a directory");
        }
        for (Path parent = absolute.getParent(); parent != null; parent = parent.getParent()) {
            if (!Files.exists(parent)) continue;
            if (!Files.isDirectory(parent)) {
                throw new IOException("cannot create storage root " + absolute + ": " + parent
                        + " is a file, not a directory");
            }
            break;
        }
        try {
            Files.createDirectories(absolute);
        } catch (IOException e) {
            throw new IOException("cannot create storage root " + absolute + ": " + reason(e), e);
        }
        if (writable) probe(absolute);
        return absolute;
    }

    /** Creates, writes and deletes a hidden temporary file (the sweeper's kind, should a kill leave it). */
    private static void probe(Path root) throws IOException {
        Path probe = root.resolve(FilesystemDriver.TEMP_PREFIX + "probe-" + UUID.randomUUID());
        try {
            Files.write(probe, new byte[] {'o', 'k'});
            Files.delete(probe);
        } catch (IOException e) {
            throw new IOException("storage root " + root + " is not writable: " + reason(e)
                    + " (the server must create, write and delete files there)", e);
        } finally {
            Files.deleteIfExists(probe);
        }
    }

    /** An I/O failure as words, not as the exception's class name. */
    public static String reason(IOException e) {
        if (e instanceof AccessDeniedException) return "permission denied";
        if (e instanceof NoSuchFileException) return "not found";
        if (e instanceof NotDirectoryException || e instanceof FileAlreadyExistsException) {
            return pathOf(e) + " is a file, not a directory";
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason().toLowerCase(java.util.Locale.ROOT);
        }
        return e.getMessage() != null ? e.getMessage() : "input/output error";
    }

    private static String pathOf(IOException e) {
        return e instanceof FileSystemException fs && fs.getFile() != null ? fs.getFile() : "a parent";
    }

}
