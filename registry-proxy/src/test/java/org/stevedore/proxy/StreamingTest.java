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

/** Blobs stream from a hand-driven upstream to the client while they are stored. */
class StreamingTest {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final RepositoryName NAME = RepositoryName.of("hub/app");

    private final FakeUpstream upstream = new FakeUpstream();
    private final Registry proxy = Registry.builder().contentSource(PullThroughCache.over(List.of(
            Upstream.of("hub/", upstream.url())))).start();
    private final byte[] blob = new byte[1024 * 1024];
    private final Digest digest;

    StreamingTest() throws IOException {
        new Random(7).nextBytes(blob);
        digest = Http.sha256(blob);
        upstream.serve("/v2/app/blobs/" + digest, blob);
    }

    @AfterEach
    void stop() {
        proxy.close();
        upstream.close();
    }

    private InputStream open() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(proxy.url().resolve("/v2/hub/app/blobs/" + digest)).build();
        HttpResponse<InputStream> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        assertEquals(String.valueOf(blob.length), response.headers().firstValue("Content-Length").orElseThrow());
        return response.body();
    }

    private static byte[] readWithin(InputStream in, int bytes) throws Exception {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return in.readNBytes(bytes);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).get(15, TimeUnit.SECONDS);
    }

    @Test
    void clientGetsTheFirstBytesBeforeTheUpstreamHasSentTheRest() throws Exception {
        upstream.pauseAfter(blob.length / 2);
        try (InputStream in = open()) {
            byte[] first = readWithin(in, blob.length / 4);
            assertArrayEquals(java.util.Arrays.copyOf(blob, blob.length / 4), first);
            assertFalse(proxy.service().blobs().find(NAME, digest).isPresent(), "visible before verification");

            upstream.release();
            byte[] rest = readWithin(in, blob.length);
            assertEquals(blob.length - first.length, rest.length);
            assertArrayEquals(java.util.Arrays.copyOfRange(blob, first.length, blob.length), rest);
        }
        assertTrue(proxy.service().blobs().find(NAME, digest).isPresent());
    }

    @Test
    void upstreamBreakingOffLeavesNothingVisible() throws Exception {
        upstream.cutAfter(blob.length / 2);
        try (InputStream in = open()) {
            assertThrows(IOException.class, () -> in.readAllBytes());
        }
        assertFalse(proxy.service().blobs().find(NAME, digest).isPresent());
        assertTrue(proxy.service().blobs().findStored(digest).isEmpty());
    }

    @Test
    void wrongContentIsNeverStoredAndNeverCompletes() throws Exception {
        Digest wrong = Http.sha256(new byte[] {42});
        upstream.serve("/v2/app/blobs/" + wrong, blob);
        HttpRequest request = HttpRequest.newBuilder(proxy.url().resolve("/v2/hub/app/blobs/" + wrong)).build();

        // The first bytes went out before the digest could be checked: the client sees a broken
        // response, never a complete one.
        assertThrows(IOException.class, () -> CLIENT.send(request, HttpResponse.BodyHandlers.ofByteArray()));
        assertFalse(proxy.service().blobs().find(NAME, wrong).isPresent());

        Digest wrongSmall = Http.sha256(new byte[] {43});
        upstream.serve("/v2/app/blobs/" + wrongSmall, new byte[] {1, 2, 3});
        HttpResponse<byte[]> small = Http.get(proxy.url(), "/v2/hub/app/blobs/" + wrongSmall);
        assertEquals(503, small.statusCode());
        assertEquals("UNAVAILABLE", Http.errorCode(small));
        assertFalse(proxy.service().blobs().find(NAME, wrongSmall).isPresent());
    }

    @Test
    void storingFinishesWhenTheClientLeaves() throws Exception {
        upstream.pauseAfter(blob.length / 2);
        try (InputStream in = open()) {
            readWithin(in, 1000);
        }
        upstream.release();
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (proxy.service().blobs().find(NAME, digest).isEmpty() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            Thread.yield();
        }
        assertTrue(proxy.service().blobs().find(NAME, digest).isPresent());
        assertArrayEquals(blob, Http.get(proxy.url(), "/v2/hub/app/blobs/" + digest).body());
    }
}
