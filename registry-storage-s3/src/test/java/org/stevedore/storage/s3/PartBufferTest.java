package org.stevedore.storage.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

class PartBufferTest {
    private static final int BLOCK = BlockPool.BLOCK_BYTES;

    @Test
    void bytesWrittenAcrossBlocksAreSentBackInOrderOnEveryAttempt() throws IOException {
        byte[] data = random(3 * BLOCK + 12345);
        PartBuffer buffer = new PartBuffer(new BlockPool(0));
        ByteBuffer source = ByteBuffer.wrap(data);
        buffer.write(source, 1000);
        buffer.write(source, BLOCK);
        buffer.write(source, source.remaining());
        assertEquals(data.length, buffer.size());
        RequestBody body = buffer.body();
        assertEquals(data.length, body.optionalContentLength().orElseThrow());
        for (int attempt = 0; attempt < 2; attempt++) {
            try (InputStream in = body.contentStreamProvider().newStream()) {
                assertArrayEquals(data, in.readAllBytes(), "attempt " + attempt);
            }
        }
    }

    @Test
    void readFullyAppendsAfterBufferedBytesAndRejectsAShortStream() throws IOException {
        byte[] head = random(BLOCK - 10);
        byte[] tail = random(50);
        PartBuffer buffer = new PartBuffer(new BlockPool(0));
        buffer.readFully(new ByteArrayInputStream(head), head.length);
        buffer.write(ByteBuffer.wrap(tail), tail.length);
        byte[] expected = new byte[head.length + tail.length];
        System.arraycopy(head, 0, expected, 0, head.length);
        System.arraycopy(tail, 0, expected, head.length, tail.length);
        try (InputStream in = buffer.body().contentStreamProvider().newStream()) {
            assertArrayEquals(expected, in.readAllBytes());
        }
        assertThrows(IOException.class, () -> new PartBuffer(new BlockPool(0)).readFully(new ByteArrayInputStream(head), head.length + 1));
    }

    @Test
    void clearKeepsTheBlocksAndReleaseReturnsThemUpToThePoolBound() {
        BlockPool pool = new BlockPool(2L * BLOCK);
        PartBuffer buffer = new PartBuffer(pool);
        buffer.write(ByteBuffer.wrap(random(3 * BLOCK)), 3 * BLOCK);
        buffer.clear();
        assertEquals(0, buffer.size());
        buffer.write(ByteBuffer.wrap(random(3 * BLOCK)), 3 * BLOCK);
        assertEquals(0, pool.idleBytes(), "a writer keeps its blocks from part to part");
        buffer.release();
        assertEquals(2L * BLOCK, pool.idleBytes(), "the pool keeps at most its bound");
        java.nio.ByteBuffer reused = pool.take();
        pool.give(List.of(reused));
        assertSame(reused, pool.take(), "a returned block is handed out again");
    }

    private static byte[] random(int n) {
        byte[] bytes = new byte[n];
        new Random(n).nextBytes(bytes);
        return bytes;
    }
}
