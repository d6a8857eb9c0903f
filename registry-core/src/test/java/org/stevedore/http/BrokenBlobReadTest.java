package org.stevedore.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.stevedore.registry.Registry;
import org.stevedore.storage.AppendWriter;
import org.stevedore.storage.Content;
import org.stevedore.storage.FileInfo;
import org.stevedore.storage.StorageDriver;
import org.stevedore.storage.memory.InMemoryDriver;

/**
 * A blob whose storage read fails: before the first byte the client gets a 500 with the error
 * JSON, after some bytes a cut connection; never a 200 with a short or empty body.
 */
class BrokenBlobReadTest {

    @Test
    void readFailingAtTheFirstByteIsAServerError() {
        try (Registry registry = Registry.builder().storage(new BreakingReads(InMemoryDriver.create(), 0)).start()) {
            RegistryClient client = new RegistryClient(registry);
            String digest = client.pushBlob("demo/app", new byte[10_000]);

            HttpResponse<byte[]> response = client.send("GET", "/v2/demo/app/blobs/" + digest, new byte[0]);

            assertEquals(500, response.statusCode());
            assertTrue(new String(response.body()).contains("\"code\":\"UNKNOWN\""), new String(response.body()));
        }
    }

    @Test
    void readFailingMidwayCutsTheConnection() {
        try (Registry registry = Registry.builder().storage(new BreakingReads(InMemoryDriver.create(), 5_000)).start()) {
            RegistryClient client = new RegistryClient(registry);
            String digest = client.pushBlob("demo/app", new byte[10_000]);

            assertThrows(UncheckedIOException.class, () -> client.send("GET", "/v2/demo/app/blobs/" + digest, new byte[0]));
            assertEquals(200, client.send("GET", "/v2/", new byte[0]).statusCode(), "the registry keeps serving");
        }
    }

    /** Reads of blob data fail after {@code failAt} bytes; everything else passes through. */
    private record BreakingReads(StorageDriver delegate, long failAt) implements StorageDriver {
        @Override
        public String name() {
            return delegate.name();
        }

        @Override
        public Optional<FileInfo> stat(String path) throws IOException {
            return delegate.stat(path);
        }

        @Override
        public byte[] readSmall(String path, int maxBytes) throws IOException {
            return delegate.readSmall(path, maxBytes);
        }

        @Override
        public void writeSmall(String path, byte[] bytes) throws IOException {
            delegate.writeSmall(path, bytes);
        }

        @Override
        public Content open(String path, long offset) throws IOException {
            Content content = delegate.open(path, offset);
            if (!path.contains("/blobs/sha256/")) return content;
            InputStream in = content.asStream();
            return new Content.OfStream(new InputStream() {
                private long delivered;

                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    if (delivered >= failAt) throw new IOException("disk read error");
                    int n = in.read(buffer, offset, (int) Math.min(length, failAt - delivered));
                    if (n > 0) delivered += n;
                    return n;
                }
            }, content.length());
        }

        @Override
        public AppendWriter append(String path) throws IOException {
            return delegate.append(path);
        }

        @Override
        public void move(String from, String to) throws IOException {
            delegate.move(from, to);
        }

        @Override
        public void delete(String path) throws IOException {
            delegate.delete(path);
        }

        @Override
        public List<String> list(String directory) throws IOException {
            return delegate.list(directory);
        }

        @Override
        public Optional<URI> redirect(String path) {
            return Optional.empty();
        }
    }
}
