package org.stevedore.images;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * The files of an image archive by their relative name ({@code index.json},
 * {@code blobs/sha256/...}), whether it is a directory or a tar: the importers read both alike.
 */
interface ArchiveFiles extends Closeable {

    /** The file's size, or empty when there is no such file. */
    OptionalLong size(String name) throws IOException;

    /** Opens the file for reading; the caller closes the stream. */
    InputStream open(String name) throws IOException;

    /** Where the files come from, for messages. */
    String describe();

    /** The whole file, refused when it is missing or larger than {@code limit} bytes. */
    default byte[] readSmall(String name, int limit) throws IOException {
        OptionalLong size = size(name);
        if (size.isEmpty()) throw new ImageArchiveException(describe() + " has no " + name);
        if (size.getAsLong() > limit) {
            throw new ImageArchiveException(name + " in " + describe() + " is larger than " + limit + " bytes");
        }
        try (InputStream in = open(name)) {
            return in.readNBytes(limit);
        }
    }

    /** A directory's files or a tar's entries. */
    static ArchiveFiles open(Path source) throws IOException {
        if (Files.isDirectory(source)) return new DirectoryFiles(source);
        if (!Files.isRegularFile(source)) throw new ImageArchiveException(source + " is neither a directory nor a file");
        return TarFiles.open(source);
    }
}
