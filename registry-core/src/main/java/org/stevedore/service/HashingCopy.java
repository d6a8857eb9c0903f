package org.stevedore.service;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.security.MessageDigest;
import org.stevedore.internal.io.Buffers;

/** An upload's body streamed into a store writer, hashed on the way: one pass, one buffer. */
final class HashingCopy {

    /** Where the bytes go: an append writer or a hidden writer. */
    @FunctionalInterface
    interface Sink {
        void write(ByteBuffer source) throws IOException;
    }

    private HashingCopy() {
    }

    /** Copies all of {@code body} into {@code sink}, updating {@code digest} with the same bytes; returns how many. */
    static long copy(ReadableByteChannel body, MessageDigest digest, Sink sink) throws IOException {
        long copied = 0;
        ByteBuffer buffer = Buffers.copyBuffer();
        while (body.read(buffer) >= 0) {
            if (buffer.position() == 0) continue;
            buffer.flip();
            copied += buffer.remaining();
            int position = buffer.position();
            digest.update(buffer);
            buffer.position(position);
            sink.write(buffer);
            buffer.clear();
        }
        return copied;
    }
}
