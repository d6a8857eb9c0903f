package org.stevedore.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.stevedore.http.RegistryClient.utf8;

import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.stevedore.registry.Registry;

/** {@code registry.faults()}: injected statuses, dropped connections and delays, then normal service. */
class FaultInjectionTest {
    private Registry registry;
    private RegistryClient client;

    @BeforeEach
    void start() {
        registry = Registry.builder().start();
        client = new RegistryClient(registry);
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    @Test
    void failsTheNextMatchingRequestsWithTheSpecsErrorBody() {
        registry.faults().failNext(2, "POST", "/blobs/uploads/", 503);
        assertEquals(2, registry.faults().pending());
        for (int i = 0; i < 2; i++) {
            HttpResponse<byte[]> response = client.post("/v2/faulty/blobs/uploads/", new byte[0]);
            RegistryClient.assertError(response, 503, "UNAVAILABLE");
        }
        assertEquals(200, client.get("/v2/").statusCode(), "other routes are not affected");
        assertEquals(202, client.post("/v2/faulty/blobs/uploads/", new byte[0]).statusCode(), "third one works");
        assertEquals(0, registry.faults().pending());
        assertEquals(2, registry.faults().triggered());
    }

    @Test
    void matchesMethodExactlyOrAnyWithStar() {
        registry.faults().failNext(1, "GET", "/tags/list", 429).failNext(1, "*", "/v2/", 500);
        // Rules are tried in order; the POST passes the GET rule and uses up the star rule.
        RegistryClient.assertError(client.post("/v2/m/blobs/uploads/", new byte[0]), 500, "UNKNOWN");
        RegistryClient.assertError(client.get("/v2/m/tags/list"), 429, "TOOMANYREQUESTS");
        assertEquals(404, client.get("/v2/m/tags/list").statusCode(), "rules used up");
    }

    @Test
    void dropsTheConnectionWithoutAResponse() throws Exception {
        registry.faults().disconnectNext(1, "GET", "/v2/");
        // A plain socket: HttpClient would quietly retry an idempotent request once.
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), registry.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("GET /v2/ HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals(0, socket.getInputStream().readAllBytes().length, "no response, just the end of the stream");
        }
        assertEquals(1, registry.faults().triggered());
        assertEquals(200, client.get("/v2/").statusCode());
    }

    @Test
    void delaysTheNextMatchingRequest() {
        client.pushBlob("slow/app", utf8("blob"));
        registry.faults().delayNext(1, "HEAD", "/blobs/", Duration.ofMillis(300));
        long start = System.nanoTime();
        assertEquals(200, client.head("/v2/slow/app/blobs/" + RegistryClient.sha256(utf8("blob"))).statusCode());
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis >= 300, "answered after " + millis + " ms");
    }

    @Test
    void clearRemovesRules() {
        registry.faults().failNext(5, "*", "/", 500);
        registry.faults().clear();
        assertEquals(0, registry.faults().pending());
        assertEquals(200, client.get("/v2/").statusCode());
    }
}
