package org.stevedore.storage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

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

    /**
     * {@link #commit()}, then {@link StorageDriver#writeSmallInOrder} of {@code files} on the
     * writer's store: whoever sees one of {@code files} sees the committed file too, and all of it
     * is durable when this returns. A blob sent whole: its bytes, then the repository's link. A
     * store may overlap the commit's syncs with the files' as long as that order holds (the
     * default writer: {@link StorageDriver#moveThenWriteInOrder}). If it fails, the path holds the
     * old file or the new one, and each of {@code files} its old bytes or its new ones.
     */
    void commitThenWriteInOrder(List<SmallFile> files) throws IOException;

    /** Discards what was written unless committed; releases the writer. Idempotent. */
    @Override
    void close() throws IOException;
}
