package org.stevedore.storage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Writes a whole file that appears at its path only on {@link #commit()}, at once and complete
 * (see {@link StorageDriver#writeHidden}). Until then nothing at the path changes: readers see
 * the file that was there, or none. {@link #close()} without a commit discards everything written.
 * Not thread-safe: one thread writes, then commits or closes.
 */
public interface HiddenWriter extends Closeable {

    /** How many bytes this writer has taken so far. */
    long size();

    /** Writes all remaining bytes of {@code source}. */
    void write(ByteBuffer source) throws IOException;

    /**
     * Makes the bytes written the file at the writer's path, replacing any file there, durably;
     * then closes the writer. If it fails, the path holds the old file or the new one, never a mix.
     */
    void commit() throws IOException;

    /** Discards what was written unless committed; releases the writer. Idempotent. */
    @Override
    void close() throws IOException;
}
