package org.stevedore.storage.s3;

import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;

/**
 * Fixed-size direct (off-heap) blocks that the writers of one driver fill with part bytes, reused
 * from writer to writer (each PATCH of a chunked upload opens a writer of its own).
 *
 * <p>Why off the heap: part bytes live for seconds (until a whole part has arrived), so on the heap
 * every young collection copied them, and a burst of concurrent uploads (16 x a 10 MiB part) made
 * the collector's pauses long enough that G1 grew the heap to gigabytes, which then stayed
 * resident. Off the heap they cost exactly their size while used. Why blocks: memory grows one
 * block at a time with what was written and nothing is copied as it grows (one array grown by
 * doubling up to the part size made about 26 MiB of garbage per writer).
 *
 * <p>The pool keeps at most {@code maxIdleBytes} of returned blocks; the memory of blocks beyond
 * that is freed at once, so a burst does not stay resident afterwards. Direct memory is bounded by
 * the JVM like the heap ({@code -XX:MaxDirectMemorySize}, by default the maximum heap size).
 */
final class BlockPool {
    /** The size of every block. */
    static final int BLOCK_BYTES = 256 * 1024;
    private static final Freer FREER = Freer.find();

    private final int maxIdle;
    private final ArrayDeque<ByteBuffer> idle = new ArrayDeque<>();

    /** A pool keeping at most {@code maxIdleBytes} (rounded down to whole blocks) of idle blocks. */
    BlockPool(long maxIdleBytes) {
        this.maxIdle = (int) Math.min(Integer.MAX_VALUE, Math.max(0, maxIdleBytes / BLOCK_BYTES));
    }

    /** An idle block, or a new one; its content is whatever it held before. */
    ByteBuffer take() {
        synchronized (idle) {
            ByteBuffer block = idle.pollFirst();
            if (block != null) return block;
        }
        return ByteBuffer.allocateDirect(BLOCK_BYTES);
    }

    /** Takes back blocks no longer used by their writer, keeping at most the idle bound and freeing the rest. */
    void give(List<ByteBuffer> blocks) {
        int kept = 0;
        synchronized (idle) {
            while (kept < blocks.size() && idle.size() < maxIdle) idle.addFirst(blocks.get(kept++));
        }
        for (int i = kept; i < blocks.size(); i++) FREER.free(blocks.get(i));
    }

    /** How many bytes of idle blocks the pool holds (for tests). */
    long idleBytes() {
        synchronized (idle) {
            return (long) idle.size() * BLOCK_BYTES;
        }
    }

    /**
     * Frees a direct buffer's memory now through {@code sun.misc.Unsafe.invokeCleaner} (module
     * jdk.unsupported, the supported way for code that owns a buffer exclusively); where that is
     * not available the collector frees it later, when the buffer is unreachable.
     */
    private interface Freer {
        void free(ByteBuffer buffer);

        static Freer find() {
            try {
                Class<?> type = Class.forName("sun.misc.Unsafe");
                Field field = type.getDeclaredField("theUnsafe");
                field.setAccessible(true);
                Object unsafe = field.get(null);
                var invokeCleaner = type.getMethod("invokeCleaner", ByteBuffer.class);
                return buffer -> {
                    try {
                        invokeCleaner.invoke(unsafe, buffer);
                    } catch (ReflectiveOperationException e) {
                        // left to the collector
                    }
                };
            } catch (ReflectiveOperationException | RuntimeException e) {
                return buffer -> { };
            }
        }
    }
}
