package org.stevedore.images;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.OptionalLong;

/** The files of an unpacked archive; names may not leave the directory. */
final class DirectoryFiles implements ArchiveFiles {
    private final Path root;

    DirectoryFiles(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    @Override
    public OptionalLong size(String name) throws IOException {
        Path file = resolve(name);
        return Files.isRegularFile(file) ? OptionalLong.of(Files.size(file)) : OptionalLong.empty();
    }

    @Override
    public InputStream open(String name) throws IOException {
        return Files.newInputStream(resolve(name));
    }

    @Override
    public String describe() {
        return root.toString();
    }

    private Path resolve(String name) throws IOException {
        Path file = root.resolve(name).normalize();
        if (!file.startsWith(root)) throw new ImageArchiveException("archive names a file outside it: " + name);
        if (Files.isSymbolicLink(file) && !file.toRealPath().startsWith(root.toRealPath(LinkOption.NOFOLLOW_LINKS))) {
            throw new ImageArchiveException("archive links to a file outside it: " + name);
        }
        return file;
    }

    @Override
    public void close() {
    }
}
