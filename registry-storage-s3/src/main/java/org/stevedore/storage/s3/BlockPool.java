package org.stevedore.storage.s3;

import java.util.ArrayDeque;
import java.util.List;

/**
 * Fixed-size byte blocks that the writers of one driver fill with part bytes, reused from writer
 * to writer (each PATCH of a chunked upload opens a writer of its own).
 *
 * <p>Blocks are {@value #BLOCK_BYTES} bytes: below G1's humongous-object threshold for every heap
 * size (half a region; regions are at least 1 MiB), so part buffers neither land in humongous
 * regions nor get copied when they grow, as one array grown by doubling up to the part size did
 * (about 26 MiB of garbage per writer with 10 MiB parts). The pool keeps at most
 * {@code maxIdleBytes} of returned blocks; blocks beyond that are left to the collector, so a burst
 * of concurrent uploads does not pin its peak in memory afterwards.
 */
final class BlockPool {
    /** The size of every block. */
    static final int BLOCK_BYTES = 256 * 1024;

    private final int maxIdle;
    private final ArrayDeque<byte[]> idle = new ArrayDeque<>();

    /** A pool keeping at most {@code maxIdleBytes} (rounded down to whole blocks) of idle blocks. */
    BlockPool(long maxIdleBytes) {
        this.maxIdle = (int) Math.min(Integer.MAX_VALUE, Math.max(0, maxIdleBytes / BLOCK_BYTES));
    }

    /** An idle block, or a new one; its content is whatever it held before. */
    byte[] take() {
        synchronized (idle) {
            byte[] block = idle.pollFirst();
            if (block != null) return block;
        }
        return new byte[BLOCK_BYTES];
    }

    /** Takes back blocks no longer used by their writer, keeping at most the idle bound. */
    void give(List<byte[]> blocks) {
        synchronized (idle) {
            for (byte[] block : blocks) {
                if (idle.size() >= maxIdle) return;
                idle.addFirst(block);
            }
        }
    }

    /** How many bytes of idle blocks the pool holds (for tests). */
    long idleBytes() {
        synchronized (idle) {
            return (long) idle.size() * BLOCK_BYTES;
        }
    }
}
