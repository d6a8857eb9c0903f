package org.stevedore.service;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.Optional;
import org.stevedore.model.Digest;
import org.stevedore.storage.SmallFile;
import org.stevedore.storage.StorageDriver;

/** Link files: a digest's wire form stored at a path, the reference registry's pointer format. */
final class Links {
    /** A link holds one digest (at most 135 characters for sha512); anything longer is corrupt. */
    private static final int MAX_LINK_BYTES = 1024;

    private Links() {
    }

    /** The digest at {@code path}; empty when the link is missing or does not hold a digest. */
    static Optional<Digest> read(StorageDriver driver, String path) throws IOException {
        byte[] bytes;
        try {
            bytes = driver.readSmall(path, MAX_LINK_BYTES);
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            return Optional.empty();
        }
        try {
            return Optional.of(Digest.parse(new String(bytes, StandardCharsets.UTF_8).trim()));
        } catch (RuntimeException corrupt) {
            return Optional.empty();
        }
    }

    static void write(StorageDriver driver, String path, Digest digest) throws IOException {
        driver.writeSmall(path, file(path, digest).bytes());
    }

    /** The link at {@code path} to {@code digest}, for {@link StorageDriver#writeSmallInOrder}. */
    static SmallFile file(String path, Digest digest) {
        return new SmallFile(path, digest.toString().getBytes(StandardCharsets.UTF_8));
    }
}
