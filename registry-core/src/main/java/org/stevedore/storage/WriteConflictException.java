package org.stevedore.storage;

import java.io.IOException;

/**
 * Another writer changed the file after this writer (or reader) opened it, and won: nothing this
 * writer wrote was committed, and the file keeps exactly what the other writer committed. Raised
 * by drivers whose store decides between concurrent writers of one file (S3's conditional writes),
 * that is when two registry nodes append to one upload at the same offset at once. Not a failure
 * of the store: the request that lost should be told that the file moved on, not to retry as is.
 */
public class WriteConflictException extends IOException {
    public WriteConflictException(String message) {
        super(message);
    }

    public WriteConflictException(String message, Throwable cause) {
        super(message, cause);
    }
}
