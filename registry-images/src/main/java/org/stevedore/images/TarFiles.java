package org.stevedore.images;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarFile;

/**
 * The regular-file entries of an uncompressed tar, read in place (random access): a layer is
 * streamed from the archive, never extracted or held in memory. Entries are read with positional
 * reads of one channel, so several threads may stream entries at once (a copy reads layers in
 * parallel); {@code TarFile}'s own streams share the channel's position.
 */
final class TarFiles implements ArchiveFiles {
    private final Path path;
    private final TarFile tar;
    private final FileChannel channel;
    private final Map<String, TarArchiveEntry> entries = new HashMap<>();

    private TarFiles(Path path, TarFile tar, FileChannel channel) {
        this.path = path;
        this.tar = tar;
        this.channel = channel;
        for (TarArchiveEntry entry : tar.getEntries()) {
            if (entry.isFile()) entries.put(normalise(entry.getName()), entry);
        }
    }

    static TarFiles open(Path path) throws IOException {
        TarFile tar;
        try {
            tar = new TarFile(path);
        } catch (IOException | IllegalArgumentException e) {
            throw new ImageArchiveException(path + " is not a directory or an uncompressed tar (" + e.getMessage() + ")");
        }
        TarFiles files = new TarFiles(path, tar, FileChannel.open(path, StandardOpenOption.READ));
        if (files.entries.isEmpty()) {
            files.close();
            throw new ImageArchiveException(path + " is not a directory or an uncompressed tar (no files in it;"
                    + " decompress a .tar.gz first)");
        }
        return files;
    }

    @Override
    public OptionalLong size(String name) {
        TarArchiveEntry entry = entries.get(normalise(name));
        return entry == null ? OptionalLong.empty() : OptionalLong.of(entry.getSize());
    }

    @Override
    public InputStream open(String name) throws IOException {
        TarArchiveEntry entry = entries.get(normalise(name));
        if (entry == null) throw new ImageArchiveException(path + " has no " + name);
        if (entry.isSparse()) return tar.getInputStream(entry);
        return new EntryStream(channel, entry.getDataOffset(), entry.getSize());
    }

    @Override
    public String describe() {
        return path.toString();
    }

    /** Tools write {@code ./index.json} or {@code index.json}; both name the same file. */
    private static String normalise(String name) {
        String result = name;
        while (result.startsWith("./")) result = result.substring(2);
        while (result.startsWith("/")) result = result.substring(1);
        return result;
    }

    @Override
    public void close() throws IOException {
        try (channel) {
            tar.close();
        }
    }

    /** One entry's bytes, read at their offset without moving the channel's position. */
    private static final class EntryStream extends InputStream {
        private final FileChannel channel;
        private long position;
        private final long end;

        EntryStream(FileChannel channel, long offset, long length) {
            this.channel = channel;
            this.position = offset;
            this.end = offset + length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (length == 0) return 0;
            if (position >= end) return -1;
            int read = channel.read(ByteBuffer.wrap(buffer, offset, (int) Math.min(length, end - position)), position);
            if (read < 0) throw new java.io.EOFException("the tar ends inside an entry");
            position += read;
            return read;
        }

        @Override
        public int available() {
            return (int) Math.min(Integer.MAX_VALUE, end - position);
        }
    }
}
