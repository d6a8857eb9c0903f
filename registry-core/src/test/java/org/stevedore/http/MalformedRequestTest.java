package org.stevedore.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.stevedore.http.RegistryClient.utf8;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.stevedore.registry.Registry;

/**
 * Malformed and oversize request heads over raw sockets, none saying {@code Connection: close}:
 * every answer is read to the end of the stream, so each test also proves the server closed the
 * connection after answering. Heads over the configured limits get the error JSON with 414, 431
 * or 400; what Undertow's parser itself refuses gets its bare 400 (README, Limits).
 */
class MalformedRequestTest {
    private static final int LIMIT = 4096;
    private static Registry registry;
    private static RegistryClient client;

    @BeforeAll
    static void start() {
        registry = TestRegistries.builder().maxHeaderBytes(LIMIT).start();
        client = new RegistryClient(registry);
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    private static RegistryClient.RawResponse send(String head) {
        return client.raw(utf8(head), new byte[0], false);
    }

    private static void assertJsonError(RegistryClient.RawResponse answer, int status, String code) {
        assertEquals(status, answer.status(), () -> new String(answer.body()));
        assertTrue(answer.header("Content-Type").startsWith("application/json"));
        assertEquals("close", answer.header("Connection"));
        RegistryClient.assertErrorBody(answer.body(), code);
    }

    @Test
    void headerBytesOverTheLimitAre431WithTheErrorJson() {
        assertJsonError(send("GET /v2/ HTTP/1.1\r\n" + client.hostHeader() + "X-Filler: " + "f".repeat(LIMIT) + "\r\n\r\n"),
                431, "UNSUPPORTED");
        assertJsonError(send("GET /v2/ HTTP/1.1\r\n" + client.hostHeader() + "X-A: " + "a".repeat(LIMIT / 2)
                + "\r\nX-B: " + "b".repeat(LIMIT / 2) + "\r\n\r\n"), 431, "UNSUPPORTED");
        // A request with a body is refused before the body is read; the connection still closes.
        assertJsonError(client.raw(utf8("PUT /v2/a/manifests/x HTTP/1.1\r\n" + client.hostHeader()
                + "Content-Length: 5\r\nX-Filler: " + "f".repeat(LIMIT) + "\r\n\r\n"), utf8("hello"), false),
                431, "UNSUPPORTED");
    }

    @Test
    void tooManyHeaderFieldsAre431() {
        StringBuilder distinct = new StringBuilder();
        for (int i = 0; i < 150; i++) distinct.append("X-H").append(i).append(": 1\r\n");
        assertJsonError(send("GET /v2/ HTTP/1.1\r\n" + client.hostHeader() + distinct + "\r\n"), 431, "UNSUPPORTED");
        String repeated = String.join("\r\n", Collections.nCopies(110, "X-Many: 1"));
        assertJsonError(send("GET /v2/ HTTP/1.1\r\n" + client.hostHeader() + repeated + "\r\n\r\n"), 431, "UNSUPPORTED");
    }

    @Test
    void aRequestTargetOverTheLimitIs414() {
        assertJsonError(send("GET /v2/" + "a".repeat(LIMIT) + "/tags/list HTTP/1.1\r\n" + client.hostHeader() + "\r\n"),
                414, "UNSUPPORTED");
        assertJsonError(send("GET /v2/_catalog?last=" + "z".repeat(LIMIT) + " HTTP/1.1\r\n" + client.hostHeader() + "\r\n"),
                414, "UNSUPPORTED");
    }

    @Test
    void tooManyQueryParametersAre400() {
        assertJsonError(send("GET /v2/_catalog?n=1" + "&x=1".repeat(150) + " HTTP/1.1\r\n" + client.hostHeader() + "\r\n"),
                400, "UNSUPPORTED");
    }

    @Test
    void headsJustUnderTheLimitsAreServed() {
        String many = String.join("\r\n", Collections.nCopies(90, "X-Many: 1"));
        RegistryClient.RawResponse answer = send("GET /v2/_catalog?n=5" + "&x=1".repeat(90) + " HTTP/1.1\r\n"
                + client.hostHeader() + "X-Filler: " + "f".repeat(LIMIT - 1500) + "\r\n" + many + "\r\nConnection: close\r\n\r\n");
        assertEquals(200, answer.status(), () -> new String(answer.body()));
    }

    @Test
    void whatUndertowsParserRefusesIsABare400AndAClosedConnection() {
        List<String> heads = List.of(
                "GARBAGE\r\n\r\n",
                "GET /v2/a%zz/tags/list HTTP/1.1\r\n" + client.hostHeader() + "\r\n",
                "GET /v2/_catalog?last=%g0 HTTP/1.1\r\n" + client.hostHeader() + "\r\n",
                "GET /v2/a\u0001b/tags/list HTTP/1.1\r\n" + client.hostHeader() + "\r\n",
                "GET /v2/ HTTP/1.1\r\n" + client.hostHeader() + "Bad Header: v\r\n\r\n",
                "POST /v2/a/blobs/uploads/ HTTP/1.1\r\n" + client.hostHeader()
                        + "Content-Length: 3\r\nContent-Length: 4\r\n\r\n",
                // Undertow keeps at most 127 values of one field name.
                "GET /v2/ HTTP/1.1\r\n" + client.hostHeader() + "X-Many: 1\r\n".repeat(150) + "\r\n",
                // Beyond twice the limit Undertow cuts the head itself (RequestHeadCheck).
                "GET /v2/ HTTP/1.1\r\n" + client.hostHeader() + "X-Filler: " + "f".repeat(3 * LIMIT) + "\r\n\r\n");
        for (String head : heads) {
            RegistryClient.RawResponse answer = send(head);
            assertEquals(400, answer.status(), () -> head.substring(0, Math.min(60, head.length())));
            assertEquals("close", answer.header("Connection"));
            assertEquals(0, answer.body().length);
        }
        assertEquals(200, client.get("/v2/").statusCode());
    }
}
