package org.stevedore.storage.fs;

import static java.nio.file.StandardOpenOption.READ;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import org.stevedore.storage.FileTooLargeException;

/**
 * {@link FilesystemDriver#readSmall}: links, tags and manifests, read on every pull. One open,
 * one size query on the open file and a read into an array of that size; no stat of the path
 * first and no 8 KiB stream steps.
 */
final class SmallReads {
    private SmallReads() {
    }

    /** At most {@code maxBytes} of {@code file} (storage path {@code path}, below {@code root}). */
    static byte[] read(Path root, Path file, String path, int maxBytes) throws IOException {
        // A missing file fails the open, a directory the read.
        FileChannel channel;
        try {
            channel = FileChannel.open(file, READ);
        } catch (FileSystemException e) {
            if (MissingPaths.isMissing(root, file, e)) throw (NoSuchFileException) new NoSuchFileException(path).initCause(e);
            throw e;
        }
        byte[] bytes;
        try (channel) {
            // The size check is only a shortcut: the file may grow between it and the read, so
            // the bounded read below is what enforces the limit.
            long size = channel.size();
            if (size > maxBytes && !Files.isDirectory(file)) throw new FileTooLargeException(path, maxBytes);
            bytes = readAtMost(channel, size, maxBytes == Integer.MAX_VALUE ? maxBytes : maxBytes + 1);
        } catch (IOException e) {
            if (!(e instanceof FileTooLargeException) && Files.isDirectory(file)) {
                throw new NoSuchFileException(path, null, "is a directory");
            }
            throw e;
        }
        if (bytes.length > maxBytes) throw new FileTooLargeException(path, maxBytes);
        return bytes;
    }

    /** Up to {@code limit} bytes, into an array of the reported size plus one byte to see the end. */
    private static byte[] readAtMost(FileChannel channel, long size, int limit) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(limit, size + 1));
        while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
            // until full or at the end
        }
        if (buffer.hasRemaining()) return Arrays.copyOf(buffer.array(), buffer.position());
        if (buffer.capacity() == limit) return buffer.array();
        byte[] more = Channels.newInputStream(channel).readNBytes(limit - buffer.capacity()); // it grew
        byte[] all = Arrays.copyOf(buffer.array(), buffer.capacity() + more.length);
        System.arraycopy(more, 0, all, buffer.capacity(), more.length);
        return all;
    }
}
