package org.stevedore.storage.fs;

import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.WRITE;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link FilesystemDriver#writeSmall} and {@link FilesystemDriver#createSmall}: a whole small file
 * written under a hidden {@code .tmp-} name beside its target, synced, then renamed (or linked)
 * into place, so readers see the old bytes or the new ones and a crash leaves one or the other.
 */
final class SmallFileWrites {
    private static final Logger log = LoggerFactory.getLogger(SmallFileWrites.class);

    /** How often a write starts again when a delete took its directory meanwhile. */
    private static final int VANISHED_DIRECTORY_ATTEMPTS = 10;

    private final Directories directories;
    private final StagedTrees staged;

    SmallFileWrites(Directories directories, StagedTrees staged) {
        this.directories = directories;
        this.staged = staged;
    }

    /** Writes {@code bytes} at {@code target}, synced with its directory if {@code durable}. */
    void write(Path target, byte[] bytes, boolean durable) throws IOException {
        Path directory = target.getParent();
        for (int attempt = 1; ; attempt++) {
            if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)
                    && staged.writeInNewDirectories(target, bytes, durable)) return;
            // The temporary file keeps the directory non-empty, so no cleanup of empty directories
            // removes it. A delete of the whole directory (another node deleting this manifest
            // revision, say) takes it along, and the rename finds it gone; deletes one after
            // another may also keep taking the directory before the temporary file is made. Then
            // the write starts again, as if it came after the delete, in a staged tree out of that
            // delete's reach.
            Path temp = null;
            try {
                temp = writeTemporary(target, bytes, durable);
                moveReplacing(temp, target);
            } catch (NoSuchFileException e) {
                if (temp != null) deleteQuietly(temp);
                if (attempt >= VANISHED_DIRECTORY_ATTEMPTS) throw e;
                continue;
            } catch (IOException | RuntimeException e) {
                if (temp != null) deleteQuietly(temp);
                throw e;
            }
            if (durable) Directories.sync(directory);
            return;
        }
    }

    /** A hard link from the synced temporary file: the kernel makes it only where no file is. */
    boolean create(Path target, byte[] bytes) throws IOException {
        Path temp = writeTemporary(target, bytes, true);
        try {
            Files.createLink(target, temp);
        } catch (java.nio.file.FileAlreadyExistsException taken) {
            return false;
        } finally {
            deleteQuietly(temp);
        }
        Directories.sync(target.getParent());
        return true;
    }

    /** A hidden file with {@code bytes} beside {@code target} (synced if {@code durable}), its directories created. */
    private Path writeTemporary(Path target, byte[] bytes, boolean durable) throws IOException {
        return directories.withParents(target, () -> {
            Path created = target.getParent().resolve(FilesystemDriver.TEMP_PREFIX + UUID.randomUUID());
            try (FileChannel channel = FileChannel.open(created, CREATE_NEW, WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) channel.write(buffer);
                if (durable) channel.force(true); // the bytes must be on disk before a rename or link makes them the file
            } catch (IOException | RuntimeException e) {
                deleteQuietly(created);
                throw e;
            }
            return created;
        });
    }

    /** Renames {@code source} over {@code target} in one step where the system can. */
    static void moveReplacing(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            // Only where the system cannot rename in place; readers may briefly see no file.
            Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("cannot delete temporary file {}", file, e);
        }
    }
}
