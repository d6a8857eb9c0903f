package org.stevedore.storage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Appends to one file. Bytes written become durable and readable only with {@link #commit()};
 * {@link #close()} without a commit discards what this writer wrote (the file keeps what it had
 * when the writer was opened), so a client that disconnects mid-request never moves an upload
 * forward. Not thread-safe: one writer per file at a time.
 */
public interface AppendWriter extends Closeable {

    /** Size of the file including what this writer has written so far. */
    long size();

    /** Writes all remaining bytes of {@code source}. */
    void write(ByteBuffer source) throws IOException;

    /**
     * Makes everything written durable and visible, then closes the writer. Durable includes the
     * file's name and those of the directories leading to it, which an unsynced write
     * ({@link StorageDriver#writeSmallUnsynced}) may have created.
     */
    void commit() throws IOException;

    /** Deletes the whole file, then closes the writer. */
    void cancel() throws IOException;

    /** Releases the writer; uncommitted bytes are discarded. Idempotent. */
    @Override
    void close() throws IOException;
}
