package org.stevedore.images;

import java.io.IOException;

/** An archive that cannot be read as an image: missing files, bad JSON, unsupported format. Published API. */
public final class ImageArchiveException extends IOException {
    public ImageArchiveException(String message) {
        super(message);
    }
}
