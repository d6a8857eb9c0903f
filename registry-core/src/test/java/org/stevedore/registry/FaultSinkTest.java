package org.stevedore.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.undertow.Undertow;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xnio.channels.Channels;
import org.xnio.channels.StreamSinkChannel;

/**
 * The body faults hold whichever way the blob sender writes: a file handed over whole
 * ({@code transferFrom}, sendfile for clients on other hosts) and buffers written (the copy for
 * clients on this host). {@code GET /<fault>/<way>} sends one file through that fault.
 */
class FaultSinkTest {
    private static final byte[] CONTENT = new byte[300_000];
    private static final long CUT_AFTER = 100_001;

    @TempDir
    static Path temp;
    private static Undertow server;
    private static URI base;
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        new Random(3).nextBytes(CONTENT);
        Path file = Files.write(temp.resolve("blob"), CONTENT);
        server = Undertow.builder().addHttpListener(0, "127.0.0.1").setHandler(exchange -> {
            if (exchange.isInIoThread()) {
                exchange.dispatch(ex -> send(ex, file));
                return;
            }
            send(exchange, file);
        }).build();
        server.start();
        base = URI.create("http://127.0.0.1:" + ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort());
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    private static void send(HttpServerExchange exchange, Path file) throws IOException {
        String[] parts = exchange.getRelativePath().substring(1).split("/");
        exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, CONTENT.length);
        switch (parts[0]) {
            case "truncate" -> exchange.addResponseWrapper((factory, ex) -> FaultSink.truncated(factory.create(), ex, CUT_AFTER));
            case "corrupt" -> exchange.addResponseWrapper((factory, ex) -> FaultSink.corrupted(factory.create(), ex));
            case "throttle" -> exchange.addResponseWrapper((factory, ex) -> FaultSink.throttled(factory.create(), ex, 10_000_000));
            default -> throw new IllegalArgumentException(parts[0]);
        }
        try (FileChannel channel = FileChannel.open(file)) {
            StreamSinkChannel sink = exchange.getResponseChannel();
            if (parts[1].equals("transfer")) {
                Channels.transferBlocking(sink, channel, 0, CONTENT.length);
            } else {
                ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
                while (channel.read(buffer.clear()) > 0) Channels.writeBlocking(sink, buffer.flip());
            }
            sink.shutdownWrites();
            Channels.flushBlocking(sink);
        }
    }

    private static HttpResponse<byte[]> get(String fault, String way) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(base.resolve("/" + fault + "/" + way)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    @ParameterizedTest
    @ValueSource(strings = {"transfer", "write"})
    void aTruncatedBodyStopsAtItsCut(String way) {
        IOException cut = assertThrows(IOException.class, () -> get("truncate", way));
        assertTrue(cut.getMessage() != null, "the client saw the body end before Content-Length");
    }

    @ParameterizedTest
    @ValueSource(strings = {"transfer", "write"})
    void aCorruptedBodyHasItsMiddleByteFlipped(String way) throws Exception {
        byte[] body = get("corrupt", way).body();
        byte[] expected = CONTENT.clone();
        expected[CONTENT.length / 2] ^= 0x01;
        assertArrayEquals(expected, body);
    }

    @ParameterizedTest
    @ValueSource(strings = {"transfer", "write"})
    void aThrottledBodyArrivesWhole(String way) throws Exception {
        HttpResponse<byte[]> response = get("throttle", way);
        assertEquals(200, response.statusCode());
        assertArrayEquals(CONTENT, response.body());
    }
}
