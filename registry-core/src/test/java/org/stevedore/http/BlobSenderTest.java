package org.stevedore.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.undertow.Undertow;
import io.undertow.util.Headers;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.stevedore.storage.Content;

/**
 * Both ways a file reaches the socket, sendfile and the copy through the thread's buffer, over a
 * real Undertow server, for whole files and ranges at odd offsets. {@code GET /<offset>/<count>/<zerocopy>} sends that slice.
 */
class BlobSenderTest {
    /** Several copy chunks and an odd tail. */
    private static final byte[] CONTENT = RegistryClient.randomBytes(5 * BlobSender.FILE_CHUNK_BYTES + 123, 7);

    @TempDir
    static Path temp;
    private static Undertow server;
    private static URI base;
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        Path file = Files.write(temp.resolve("blob"), CONTENT);
        server = Undertow.builder().addHttpListener(0, "127.0.0.1").setHandler(exchange -> {
            if (exchange.isInIoThread()) {
                exchange.dispatch(ex -> send(ex, file));
                return;
            }
            send(exchange, file);
        }).build();
        server.start();
        InetSocketAddress address = (InetSocketAddress) server.getListenerInfo().get(0).getAddress();
        base = URI.create("http://127.0.0.1:" + address.getPort());
    }

    private static void send(io.undertow.server.HttpServerExchange exchange, Path file) throws java.io.IOException {
        String[] parts = exchange.getRelativePath().substring(1).split("/");
        long offset = Long.parseLong(parts[0]);
        long count = Long.parseLong(parts[1]);
        boolean zeroCopy = Boolean.parseBoolean(parts[2]);
        exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, count);
        try (FileChannel channel = FileChannel.open(file)) {
            BlobSender.send(exchange, new Content.OfFile(channel, offset, channel.size() - offset), count, zeroCopy);
        }
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    @ParameterizedTest(name = "offset {0}, {1} bytes, zero-copy {2}")
    @CsvSource({
        "0, -1, true", "0, -1, false", // the whole file
        "10, 20, true", "10, 20, false", // a range ending mid-file: copied either way
        "70000, -1, true", "70000, -1, false", // from mid-file to the end
        "65536, 65536, false", // exactly one chunk, aligned
    })
    void sendsExactlyTheSlice(long offset, long count, boolean zeroCopy) throws Exception {
        long length = count < 0 ? CONTENT.length - offset : count;
        HttpResponse<byte[]> response = CLIENT.send(HttpRequest.newBuilder(
                base.resolve("/" + offset + "/" + length + "/" + zeroCopy)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode());
        assertArrayEquals(Arrays.copyOfRange(CONTENT, (int) offset, (int) (offset + length)), response.body());
    }
}
