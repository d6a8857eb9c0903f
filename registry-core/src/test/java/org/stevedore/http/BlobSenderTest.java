package org.stevedore.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.undertow.Undertow;
import io.undertow.util.Headers;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.stevedore.internal.io.Buffers;
import org.stevedore.storage.Content;

/**
 * Both ways a file reaches the socket, sendfile and the copy through the thread's buffer, over a
 * real Undertow server: whole files and ranges at odd offsets, and a client leaving mid-body.
 * {@code GET /<file>/<offset>/<count>/<zerocopy>} sends that slice of {@code small} or {@code large}.
 */
class BlobSenderTest {
    /** Several copy buffers and an odd tail. */
    private static final byte[] CONTENT = RegistryClient.randomBytes(5 * Buffers.COPY_BUFFER_BYTES + 123, 7);
    /** More than the socket buffers hold, so the sender is still writing when the client leaves. */
    private static final int LARGE = 64 * 1024 * 1024;

    @TempDir
    static Path temp;
    private static Undertow server;
    private static URI base;
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    /** What each send ended with: "ok" or the exception it threw. */
    private static final BlockingQueue<Object> OUTCOMES = new LinkedBlockingQueue<>();

    @BeforeAll
    static void start() throws Exception {
        Files.write(temp.resolve("small"), CONTENT);
        try (FileChannel large = FileChannel.open(temp.resolve("large"),
                java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE)) {
            large.write(java.nio.ByteBuffer.wrap(new byte[1]), LARGE - 1); // sparse: reads as zeros
        }
        server = Undertow.builder().addHttpListener(0, "127.0.0.1").setHandler(exchange -> {
            if (exchange.isInIoThread()) {
                exchange.dispatch(BlobSenderTest::send);
                return;
            }
            send(exchange);
        }).build();
        server.start();
        InetSocketAddress address = (InetSocketAddress) server.getListenerInfo().get(0).getAddress();
        base = URI.create("http://127.0.0.1:" + address.getPort());
    }

    private static void send(io.undertow.server.HttpServerExchange exchange) throws IOException {
        String[] parts = exchange.getRelativePath().substring(1).split("/");
        Path file = temp.resolve(parts[0]);
        long offset = Long.parseLong(parts[1]);
        long count = Long.parseLong(parts[2]);
        boolean zeroCopy = Boolean.parseBoolean(parts[3]);
        exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, count);
        try (FileChannel channel = FileChannel.open(file)) {
            BlobSender.send(exchange, new Content.OfFile(channel, offset, channel.size() - offset), count, zeroCopy);
            OUTCOMES.add("ok");
        } catch (IOException | RuntimeException e) {
            OUTCOMES.add(e);
            throw e;
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
        "262144, 262144, false", // exactly one copy buffer, aligned
        "262143, 262146, false", // across two buffer boundaries
    })
    void sendsExactlyTheSlice(long offset, long count, boolean zeroCopy) throws Exception {
        long length = count < 0 ? CONTENT.length - offset : count;
        OUTCOMES.clear();
        HttpResponse<byte[]> response = CLIENT.send(HttpRequest.newBuilder(
                base.resolve("/small/" + offset + "/" + length + "/" + zeroCopy)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode());
        assertArrayEquals(Arrays.copyOfRange(CONTENT, (int) offset, (int) (offset + length)), response.body());
        assertEquals("ok", OUTCOMES.poll(10, TimeUnit.SECONDS));
    }

    @ParameterizedTest(name = "zero-copy {0}")
    @ValueSource(booleans = {true, false})
    void aClientLeavingMidBodyEndsTheSendWithTheSocketsError(boolean zeroCopy) throws Exception {
        OUTCOMES.clear();
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(4096);
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), base.getPort()), 10_000);
            String head = "GET /large/0/" + LARGE + "/" + zeroCopy + " HTTP/1.1\r\nHost: x\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            assertTrue(in.readNBytes(64 * 1024).length > 0);
            socket.setSoLinger(true, 0); // a reset, as a killed client leaves
        }
        Object outcome = OUTCOMES.poll(30, TimeUnit.SECONDS);
        IOException failure = assertInstanceOf(IOException.class, outcome, "the sender must not report success");
        assertFalse(String.valueOf(failure.getMessage()).contains("ended early"), failure::toString);
        // The server carries on.
        HttpResponse<byte[]> next = CLIENT.send(HttpRequest.newBuilder(base.resolve("/small/0/10/" + zeroCopy)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertArrayEquals(Arrays.copyOf(CONTENT, 10), next.body());
    }

    @ParameterizedTest(name = "{0} from {1}: same host {2}")
    @CsvSource({
        "127.0.0.1, 127.0.0.1, true",
        "127.0.0.2, 127.0.0.1, true", // all of 127/8 is loopback
        "::1, ::1, true",
        "192.0.2.7, 192.0.2.7, true", // the host's own address, from itself
        "192.0.2.8, 192.0.2.7, false",
        "2001:db8::1, 2001:db8::2, false",
        "::ffff:127.0.0.1, 127.0.0.1, true", // IPv4-mapped loopback
    })
    void aClientOnThisHostIsOneOnLoopbackOrOnTheServersOwnAddress(String peer, String local, boolean expected) throws Exception {
        assertEquals(expected, BlobSender.sameHost(InetAddress.getByName(peer), InetAddress.getByName(local)));
    }
}
