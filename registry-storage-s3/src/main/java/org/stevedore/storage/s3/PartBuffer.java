package org.stevedore.storage.s3;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The bytes of the next part of a writer, in off-heap blocks of a {@link BlockPool}: memory grows
 * one block at a time with what was written, nothing is copied as it grows, and the part is sent
 * from the blocks themselves (a fresh stream over them per attempt, so the SDK can retry). A writer keeps
 * its blocks from part to part and gives them back to the pool on {@link #release()}.
 * Not thread-safe.
 */
final class PartBuffer {
    /** The heap buffer through which objects are read into the blocks. */
    private static final int COPY_BYTES = 64 * 1024;

    private final BlockPool pool;
    private final List<ByteBuffer> blocks = new ArrayList<>();
    private int size;

    PartBuffer(BlockPool pool) {
        this.pool = pool;
    }

    /** How many bytes the buffer holds. */
    int size() {
        return size;
    }

    /** Copies {@code count} bytes from {@code source} (which must have them) after the buffered ones. */
    void write(ByteBuffer source, int count) {
        int left = count;
        while (left > 0) {
            ByteBuffer block = blockFor(size);
            int offset = size % BlockPool.BLOCK_BYTES;
            int n = Math.min(left, BlockPool.BLOCK_BYTES - offset);
            block.put(offset, source, source.position(), n);
            source.position(source.position() + n);
            size += n;
            left -= n;
        }
    }

    /** Appends exactly {@code count} bytes read from {@code in}; fails if it ends sooner. */
    void readFully(InputStream in, long count) throws IOException {
        byte[] chunk = new byte[(int) Math.min(COPY_BYTES, Math.max(1, count))];
        long left = count;
        while (left > 0) {
            ByteBuffer block = blockFor(size);
            int offset = size % BlockPool.BLOCK_BYTES;
            int n = in.read(chunk, 0, (int) Math.min(left, Math.min(chunk.length, BlockPool.BLOCK_BYTES - offset)));
            if (n < 0) throw new IOException("s3: an object ended " + left + " bytes before its expected size");
            block.put(offset, chunk, 0, n);
            size += n;
            left -= n;
        }
    }

    /** The buffered bytes as a request body that the SDK can read again on a retry. */
    RequestBody body() {
        int length = size;
        return RequestBody.fromContentProvider(() -> new BlocksStream(blocks, length), length, "application/octet-stream");
    }

    /** Forgets the buffered bytes, keeping the blocks for the next part. */
    void clear() {
        size = 0;
    }

    /** Forgets the buffered bytes and gives the blocks back to the pool. */
    void release() {
        size = 0;
        pool.give(blocks);
        blocks.clear();
    }

    private ByteBuffer blockFor(int position) {
        int index = position / BlockPool.BLOCK_BYTES;
        if (index == blocks.size()) blocks.add(pool.take());
        return blocks.get(index);
    }

    /** Reads {@code [0, length)} of the blocks; the blocks do not change while a part is sent. */
    private static final class BlocksStream extends InputStream {
        private final List<ByteBuffer> blocks;
        private final int length;
        private int position;

        BlocksStream(List<ByteBuffer> blocks, int length) {
            this.blocks = blocks;
            this.length = length;
        }

        @Override
        public int read() {
            if (position >= length) return -1;
            int b = blocks.get(position / BlockPool.BLOCK_BYTES).get(position % BlockPool.BLOCK_BYTES) & 0xff;
            position++;
            return b;
        }

        @Override
        public int read(byte[] target, int offset, int count) {
            if (count == 0) return 0;
            if (position >= length) return -1;
            int inBlock = position % BlockPool.BLOCK_BYTES;
            int n = Math.min(count, Math.min(length - position, BlockPool.BLOCK_BYTES - inBlock));
            blocks.get(position / BlockPool.BLOCK_BYTES).get(inBlock, target, offset, n);
            position += n;
            return n;
        }

        @Override
        public int available() {
            return length - position;
        }

        @Override
        public long skip(long n) {
            long skipped = Math.max(0, Math.min(n, length - position));
            position += (int) skipped;
            return skipped;
        }
    }
}
