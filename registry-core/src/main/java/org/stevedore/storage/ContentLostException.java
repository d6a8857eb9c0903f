package org.stevedore.storage;

import java.io.IOException;

/**
 * The committed content of a file can no longer be assembled because a concurrent writer that
 * lost overwrote a piece of it before losing (on S3: a part of the open multipart upload, which
 * completion then refuses because its ETag differs from the committed one). The file must be
 * written again from the start; the driver never returns or publishes other bytes instead.
 */
public class ContentLostException extends IOException {
    public ContentLostException(String message, Throwable cause) {
        super(message, cause);
    }
}
