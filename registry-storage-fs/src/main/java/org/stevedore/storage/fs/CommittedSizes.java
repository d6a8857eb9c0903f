package org.stevedore.storage.fs;

import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.WRITE;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * The committed size of a file that {@link FileAppendWriter} appends to in place, kept beside it
 * in {@code .committed-<name>} (hidden from listings like the temporary files).
 *
 * <p>Why: an in-place append puts bytes into the file before they are committed; a process killed
 * before its writer commits or truncates leaves them there, although no client was told they
 * arrived. The next writer cuts the file back to the recorded size, so it continues after the last
 * committed byte as {@link org.stevedore.storage.StorageDriver#append} promises. A file without a
 * record holds only committed bytes: new files are written aside and renamed into place on commit,
 * and a writer records the size before its first in-place byte.
 */
final class CommittedSizes {
    static final String PREFIX = ".committed-";

    private CommittedSizes() {
    }

    /** The record of {@code file}. */
    static Path recordOf(Path file) {
        return file.resolveSibling(PREFIX + file.getFileName());
    }

    /** The recorded committed size of {@code file}; empty without a (readable) record. */
    static OptionalLong read(Path file) throws IOException {
        Path record = recordOf(file);
        // Every stat and read of a stored file asks, and almost no file has a record: java.io
        // answers "absent" without the exception (and its stack trace) NIO would throw.
        if (!record.toFile().exists()) return OptionalLong.empty();
        String text;
        try {
            text = Files.readString(record, StandardCharsets.US_ASCII).trim();
        } catch (NoSuchFileException e) {
            return OptionalLong.empty(); // removed since
        }
        try {
            long size = Long.parseLong(text);
            return size >= 0 ? OptionalLong.of(size) : OptionalLong.empty();
        } catch (NumberFormatException e) {
            // Written by an atomic rename, so never torn; anything else is not ours to trust.
            throw new IOException(recordOf(file) + ": not a committed size: " + text);
        }
    }

    /** Records {@code size} durably and atomically (temporary file, sync, rename, directory sync). */
    static void write(Path file, long size) throws IOException {
        Path record = recordOf(file);
        Path temp = file.resolveSibling(FilesystemDriver.TEMP_PREFIX + UUID.randomUUID());
        try (FileChannel channel = FileChannel.open(temp, CREATE_NEW, WRITE)) {
            ByteBuffer bytes = ByteBuffer.wrap(Long.toString(size).getBytes(StandardCharsets.US_ASCII));
            while (bytes.hasRemaining()) channel.write(bytes);
            channel.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        try {
            Files.move(temp, record, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        Directories.sync(file.getParent());
    }

    /** Removes the record of {@code file}: it is being replaced, moved or deleted. */
    static void forget(Path file) throws IOException {
        Path parent = file.getParent();
        if (parent == null) return;
        try {
            Files.deleteIfExists(recordOf(file));
        } catch (java.nio.file.FileSystemException e) {
            // Below a regular file or a missing directory there is no record to forget.
            if (!Files.isDirectory(parent)) return;
            throw e;
        }
    }
}
