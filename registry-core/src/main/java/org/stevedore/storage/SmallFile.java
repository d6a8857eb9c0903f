package org.stevedore.storage;

import java.util.Objects;

/** A small file to write: its storage path and whole content (see {@link StorageDriver#writeSmallInOrder}). */
public record SmallFile(String path, byte[] bytes) {
    public SmallFile {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(bytes, "bytes");
    }
}
