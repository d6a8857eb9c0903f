package org.stevedore.storage;

import java.time.Instant;

/** What {@link StorageDriver#stat} tells about a path. For a directory, size is 0. */
public record FileInfo(String path, long size, Instant modified, boolean isDirectory) {
    public FileInfo {
        if (path == null || modified == null) throw new IllegalArgumentException("path and modified are required");
        if (size < 0) throw new IllegalArgumentException("negative size");
    }
}
