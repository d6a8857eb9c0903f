package org.stevedore.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.stevedore.http.RegistryClient.utf8;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.stevedore.registry.Registry;
import org.stevedore.storage.StorageDriver;
import org.stevedore.storage.memory.InMemoryDriver;

/**
 * The access line as an operator reads it: a request the client broke off is marked
 * {@code aborted} (never a plain 200), a client's mistake is that one line and nothing else, and
 * request ids are UUIDs that do not repeat across nodes or restarts.
 */
class AccessLogTest {
    private static final int MIB = 1024 * 1024;
    private static final Pattern ID = Pattern.compile(" id=([^ ]+) ");
    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");

    private final StorageDriver storage = InMemoryDriver.create();
    private LogTap log;
    private Registry registry;
    private RegistryClient client;

    @BeforeEach
    void start() {
        log = new LogTap();
        registry = start(storage);
        client = new RegistryClient(registry);
    }

    @AfterEach
    void stop() {
        registry.close();
        log.close();
    }

    private static Registry start(StorageDriver storage) {
        return TestRegistries.builder().storage(storage).accessLogAtInfo(true).start();
    }

    private static String head(String method, String path, String... headers) {
        StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: x\r\n");
        for (String header : headers) head.append(header).append("\r\n");
        return head.append("\r\n").toString();
    }

    /** The one access line of the request to {@code path} with {@code method}. */
    private String accessLine(String method, String path) throws InterruptedException {
        List<String> lines = log.await(" " + method + " " + path + " ");
        assertEquals(1, lines.size(), () -> "access lines for " + method + " " + path + ": " + lines);
        return lines.get(0);
    }

    @Test
    void aPatchTheClientAbandonsMidBodyIsMarkedAborted() throws Exception {
        String location = client.startUpload("log/aborted");
        client.sendAndDisconnect(utf8(head("PATCH", location, "Content-Length: " + MIB)), new byte[64 * 1024]);
        String line = accessLine("PATCH", location);
        // 499 when the server notices before answering; else the 400 it wrote into a closed connection.
        assertTrue(line.contains(" 499 aborted ") || line.contains(" 400 aborted "), line);
    }

    @Test
    void aPatchTheClientStopsSendingIsAnsweredAndMarkedAborted() throws Exception {
        String location = client.startUpload("log/gave-up");
        RegistryClient.RawResponse answer = client.raw(utf8(head("PATCH", location, "Content-Length: " + MIB)),
                new byte[64 * 1024], true);
        assertEquals(400, answer.status());
        String line = accessLine("PATCH", location);
        assertTrue(line.contains(" 400 aborted "), line);
    }

    @Test
    void aDownloadTheClientDropsIsMarkedAborted() throws Exception {
        String digest = client.pushBlob("log/download", RegistryClient.randomBytes(16 * MIB, 7));
        String path = "/v2/log/download/blobs/" + digest;
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(4096);
            socket.connect(new InetSocketAddress(registry.url().getHost(), registry.port()), 10_000);
            socket.getOutputStream().write(utf8(head("GET", path)));
            InputStream in = socket.getInputStream();
            assertTrue(in.readNBytes(1024).length > 0);
            socket.setSoLinger(true, 0); // a reset, as a killed client leaves
        }
        String line = accessLine("GET", path);
        assertTrue(line.contains(" 200 aborted "), line);
    }

    @Test
    void completeRequestsAreNotMarked() throws Exception {
        String digest = client.pushBlob("log/complete", utf8("whole"));
        assertEquals(200, client.get("/v2/log/complete/blobs/" + digest).statusCode());
        assertEquals(404, client.get("/v2/log/complete/manifests/nope").statusCode());
        String get = accessLine("GET", "/v2/log/complete/blobs/" + digest);
        assertTrue(get.contains(" 200 5 bytes "), get);
        assertFalse(accessLine("GET", "/v2/log/complete/manifests/nope").contains("aborted"));
        assertFalse(get.contains("aborted"), get);
    }

    @Test
    void aClientErrorIsItsAccessLineAndNothingElse() throws Exception {
        List<String> paths = List.of("/v2/log/errors/manifests/.INVALID_MANIFEST_NAME", "/v2/log/errors/blobs/sha256:zz",
                "/v2/Log/errors/tags/list", "/v3/", "/v2/log/errors/blobs/uploads/unknown-id");
        for (String path : paths) assertTrue(client.get(path).statusCode() >= 400);
        for (String path : paths) {
            String line = accessLine("GET", path);
            Matcher id = ID.matcher(line);
            assertTrue(id.find(), line);
            List<String> mentions = log.lines().stream().filter(l -> l.contains(id.group(1))).toList();
            assertEquals(1, mentions.size(), () -> path + " logged " + mentions);
        }
        assertTrue(log.lines().stream().noneMatch(l -> l.startsWith("\tat ") || l.contains("Exception")),
                () -> String.join("\n", log.lines()));
    }

    @Test
    void requestIdsAreUuidsThatDoNotRepeatAcrossNodesAndRestarts() throws Exception {
        Set<String> ids = new HashSet<>();
        List<String> seen = new ArrayList<>();
        try (Registry otherNode = start(storage)) {
            RegistryClient other = new RegistryClient(otherNode);
            for (int i = 0; i < 20; i++) {
                assertEquals(200, client.get("/v2/?first=" + i).statusCode());
                assertEquals(200, other.get("/v2/?second=" + i).statusCode());
            }
        }
        registry.close();
        registry = start(storage); // a restart: a per-process counter would begin again here
        client = new RegistryClient(registry);
        for (int i = 0; i < 20; i++) assertEquals(200, client.get("/v2/?third=" + i).statusCode());
        assertEquals(60, waitForLines(60));
        for (String line : log.lines()) {
            if (!line.contains(" GET /v2/ ")) continue;
            Matcher id = ID.matcher(line);
            assertTrue(id.find(), line);
            assertTrue(UUID.matcher(id.group(1)).matches(), line);
            seen.add(id.group(1));
            ids.add(id.group(1));
        }
        assertEquals(60, seen.size(), () -> String.join("\n", log.lines()));
        assertEquals(seen.size(), ids.size(), "every id is new: " + seen);
    }

    /** Waits until {@code count} access lines for {@code /v2/} were logged; returns how many were. */
    private int waitForLines(int count) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        int found;
        do {
            found = (int) log.lines().stream().filter(l -> l.contains(" GET /v2/ ")).count();
            if (found >= count) return count;
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        return found;
    }
}
