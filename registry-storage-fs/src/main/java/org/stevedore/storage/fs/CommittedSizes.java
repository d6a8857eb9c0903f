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
 *
 * <p>How: a record is created once, durably and atomically (temporary file, sync, rename,
 * directory sync), and from then on <em>overwritten in place</em>: every commit of a chunked
 * upload updates it, and a rename plus two syncs that each commit the file system's journal cost
 * more than the chunk's own data sync. The record is {@value #DIGITS} digits, a {@code /}, and the
 * same digits again ({@link #RECORD_BYTES} bytes at offset 0, whatever the size), so an update
 * changes neither the file's length nor any other metadata, and its data sync has nothing to
 * journal. Why an update is never torn:
 * <ul>
 *   <li><b>A crash.</b> The record lies in the first 512-byte sector of its file, and a storage
 *       device writes a sector whole or not at all (the guarantee journaling file systems build
 *       their own commit records on); ext4 and XFS overwrite an allocated block in place. A crash
 *       leaves the old record or the new one.
 *   <li><b>A concurrent reader</b> ({@code stat} of a session while a chunk commits) could copy
 *       the page while the write changes it. The two copies of the digits must agree, else
 *       {@link #read} reads again: an update takes microseconds.
 * </ul>
 * A record whose copies still disagree, or that is not a number at all, is not trusted: an
 * {@link IOException}, as for any file this driver did not write. Records of the older plain form
 * (the digits once, written by a rename) are read as they are, and the next update replaces them
 * by a rename, as a new record is made.
 */
final class CommittedSizes {
    static final String PREFIX = ".committed-";
    static final int DIGITS = 20;
    static final int RECORD_BYTES = 2 * DIGITS + 1;
    private static final int READ_ATTEMPTS = 100;

    private CommittedSizes() {
    }

    /** The record of {@code file}. */
    static Path recordOf(Path file) {
        return file.resolveSibling(PREFIX + file.getFileName());
    }

    /** {@code size} of a file, or less when a killed writer left bytes past its committed size. */
    static long visibleSize(Path file, long size) throws IOException {
        OptionalLong committed = read(file);
        return committed.isPresent() ? Math.min(size, committed.getAsLong()) : size;
    }

    /** Cuts off bytes a killed writer left past the committed size, so that they never move on. */
    static void truncateToCommitted(Path file) throws IOException {
        OptionalLong committed = read(file);
        if (committed.isEmpty()) return;
        try (FileChannel channel = FileChannel.open(file, WRITE)) {
            if (channel.size() > committed.getAsLong()) channel.truncate(committed.getAsLong());
        }
    }

    /** The recorded committed size of {@code file}; empty without a record. */
    static OptionalLong read(Path file) throws IOException {
        Path record = recordOf(file);
        // Every stat and read of a stored file asks, and almost no file has a record: java.io
        // answers "absent" without the exception (and its stack trace) NIO would throw.
        if (!record.toFile().exists()) return OptionalLong.empty();
        String text = null;
        for (int attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
            try {
                text = Files.readString(record, StandardCharsets.US_ASCII).trim();
            } catch (NoSuchFileException e) {
                return OptionalLong.empty();
            }
            int slash = text.indexOf('/');
            if (slash < 0) return OptionalLong.of(parse(record, text)); // the older form, renamed into place
            if (text.substring(0, slash).equals(text.substring(slash + 1))) {
                return OptionalLong.of(parse(record, text.substring(0, slash)));
            }
            Thread.onSpinWait(); // read while a commit rewrote it: read again
        }
        throw new IOException(record + ": the two copies of the committed size disagree: " + text);
    }

    private static long parse(Path record, String digits) throws IOException {
        try {
            long size = Long.parseLong(digits);
            if (size >= 0) return size;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IOException(record + ": not a committed size: " + digits);
    }

    /**
     * Records {@code size} durably: in place when the record exists, else by creating it aside
     * and renaming it into place (see the class comment for why both are atomic).
     */
    static void write(Path file, long size) throws IOException {
        if (size < 0) throw new IllegalArgumentException("negative size");
        ByteBuffer bytes = encode(size);
        Path record = recordOf(file);
        try (FileChannel channel = FileChannel.open(record, WRITE)) {
            // A record of the older form is shorter: overwriting it would change its length, and a
            // crash could keep the old length over the new digits. It is replaced by a rename.
            if (channel.size() == RECORD_BYTES) {
                while (bytes.hasRemaining()) channel.write(bytes, bytes.position());
                channel.force(false); // the bytes only: nothing else changed
                return;
            }
        } catch (NoSuchFileException missing) {
            // no record yet: create one
        }
        Path temp = file.resolveSibling(FilesystemDriver.TEMP_PREFIX + UUID.randomUUID());
        try (FileChannel channel = FileChannel.open(temp, CREATE_NEW, WRITE)) {
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

    private static ByteBuffer encode(long size) {
        String digits = String.format("%0" + DIGITS + "d", size);
        return ByteBuffer.wrap((digits + "/" + digits).getBytes(StandardCharsets.US_ASCII));
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
