package org.stevedore.storage;

import java.io.IOException;

/** {@link StorageDriver#readSmall} found a file larger than the caller's bound. */
public final class FileTooLargeException extends IOException {
    public FileTooLargeException(String path, int maxBytes) {
        super(path + " is larger than " + maxBytes + " bytes");
    }
}
