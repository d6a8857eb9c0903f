package org.stevedore.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.stevedore.model.Digest;
import org.stevedore.model.RepositoryName;
import org.stevedore.registry.Registry;

/**
 * An upstream that sends its headers and then stops sending (without closing) fails the pull
 * after the read timeout: the client's response ends, nothing is stored, and a later pull from a
 * healthy upstream stores the blob. The fake upstream holds its stall for at most 20 s.
 */
class StalledUpstreamTest {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final RepositoryName NAME = RepositoryName.of("hub/app");
    /**
     * Long enough that a loaded machine's healthy upstream (the first half of a body, the healthy
     * pull) never meets it; 800 ms was not. Still well inside the waits below (10 s) and the fake
     * upstream's 20 s.
     */
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(3);

    private final FakeUpstream upstream = new FakeUpstream();
    private final Registry proxy = Registry.builder().contentSource(PullThroughCache.over(List.of(
            Upstream.of("hub/", upstream.url()).withReadTimeout(READ_TIMEOUT)))).start();
    private final byte[] blob = new byte[512 * 1024];
    private final Digest digest;

    StalledUpstreamTest() throws IOException {
        new Random(11).nextBytes(blob);
        digest = Http.sha256(blob);
        upstream.serve("/v2/app/blobs/" + digest, blob);
    }

    @AfterEach
    void stop() {
        proxy.close();
        upstream.close();
    }

    @Test
    void aStallMidBodyCutsTheClientsResponseAndStoresNothing() throws Exception {
        upstream.pauseAfter(blob.length / 2);
        HttpRequest request = HttpRequest.newBuilder(proxy.url().resolve("/v2/hub/app/blobs/" + digest)).build();
        HttpResponse<InputStream> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        long started = System.nanoTime();
        try (InputStream in = response.body()) {
            // Well before the fake upstream's own 20 s give-up: the proxy's timeout ended it.
            CompletableFuture<Void> read = CompletableFuture.runAsync(() ->
                    assertThrows(IOException.class, in::readAllBytes));
            read.get(10, TimeUnit.SECONDS);
        }
        assertTrue(System.nanoTime() - started >= READ_TIMEOUT.toNanos() / 2, "ended before the timeout");
        assertFalse(proxy.service().blobs().find(NAME, digest).isPresent());
        assertTrue(proxy.service().blobs().findStored(digest).isEmpty());
    }

    @Test
    void aStallBeforeTheFirstByteIsUnavailableAndTheNextPullStores() throws Exception {
        upstream.pauseAfter(0);
        HttpResponse<byte[]> stalled = CompletableFuture.supplyAsync(() -> Http.get(proxy.url(), "/v2/hub/app/blobs/" + digest))
                .get(10, TimeUnit.SECONDS);
        assertEquals(503, stalled.statusCode());
        assertEquals("UNAVAILABLE", Http.errorCode(stalled));
        assertFalse(proxy.service().blobs().find(NAME, digest).isPresent());

        upstream.pauseAfter(Long.MAX_VALUE);
        HttpResponse<byte[]> healthy = Http.get(proxy.url(), "/v2/hub/app/blobs/" + digest);
        assertEquals(200, healthy.statusCode());
        assertArrayEquals(blob, healthy.body());
        assertTrue(proxy.service().blobs().find(NAME, digest).isPresent());
    }
}
