package org.stevedore.storage;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;

/**
 * An opened file, from an offset to its end. Sealed so that the HTTP layer can send a
 * {@link OfFile} without a heap copy (sendfile, or a read into a direct buffer) and stream any
 * other. The opener closes it.
 */
public sealed interface Content extends Closeable permits Content.OfFile, Content.OfStream {

    /** Bytes from the opening offset to the end. */
    long length();

    /** A channel positioned nowhere in particular: send {@code [position, position + length)}. */
    record OfFile(FileChannel channel, long position, long length) implements Content {
        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    /** A stream of exactly {@code length} bytes. */
    record OfStream(InputStream stream, long length) implements Content {
        @Override
        public void close() throws IOException {
            stream.close();
        }
    }

    /** A stream over this content, whatever its kind; closing it closes the content. */
    default InputStream asStream() throws IOException {
        if (this instanceof OfStream s) return s.stream();
        OfFile f = (OfFile) this;
        return java.nio.channels.Channels.newInputStream(f.channel().position(f.position()));
    }
}
