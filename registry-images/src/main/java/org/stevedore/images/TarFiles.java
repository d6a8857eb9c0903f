package org.stevedore.images;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarFile;

/**
 * The regular-file entries of an uncompressed tar, read in place (random access): a layer is
 * streamed from the archive, never extracted or held in memory.
 */
final class TarFiles implements ArchiveFiles {
    private final Path path;
    private final TarFile tar;
    private final Map<String, TarArchiveEntry> entries = new HashMap<>();

    private TarFiles(Path path, TarFile tar) {
        this.path = path;
        this.tar = tar;
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
        TarFiles files = new TarFiles(path, tar);
        if (files.entries.isEmpty()) {
            tar.close();
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
        return tar.getInputStream(entry);
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
        tar.close();
    }
}
