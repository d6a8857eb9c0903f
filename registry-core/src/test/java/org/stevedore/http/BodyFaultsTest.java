package org.stevedore.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.stevedore.registry.FaultMatch;
import org.stevedore.registry.Registry;
import org.stevedore.registry.fixtures.ImageSpec;
import org.stevedore.registry.fixtures.PushedImage;

/** The faults CI meets: rate limits, cut and corrupted bodies, slow links, scoped and sampled rules. */
class BodyFaultsTest {
    private static final int BLOB_SIZE = 200_000;
    private static final FaultMatch BLOB_GETS = FaultMatch.any().method("GET").route(FaultMatch.Route.BLOB);

    private final HttpClient http = HttpClient.newHttpClient();
    private Registry registry;
    private RegistryClient client;
    private PushedImage image;

    @BeforeEach
    void start() {
        registry = Registry.builder().start();
        client = new RegistryClient(registry);
        image = registry.fixtures().pushImage("demo/app", "1", ImageSpec.layers(BLOB_SIZE).randomBytes().seed(9));
        registry.fixtures().pushImage("demo/other", "1", ImageSpec.layers(BLOB_SIZE).randomBytes().seed(9));
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    @Test
    void rateLimitAnswers429WithRetryAfterOnlyInItsScope() {
        registry.faults().rateLimitNext(2, BLOB_GETS.repository("demo/app"), Duration.ofMillis(1500));
        assertEquals(200, client.get(blobPath("demo/other")).statusCode(), "another repository");
        assertEquals(200, client.get("/v2/demo/app/manifests/1", "Accept", RegistryClient.OCI_MANIFEST).statusCode(),
                "another route kind");
        for (int i = 0; i < 2; i++) {
            HttpResponse<byte[]> limited = client.get(blobPath("demo/app"));
            RegistryClient.assertError(limited, 429, "TOOMANYREQUESTS");
            assertEquals("2", limited.headers().firstValue("Retry-After").orElse(""), "seconds, rounded up");
        }
        assertEquals(200, client.get(blobPath("demo/app")).statusCode());
    }

    @Test
    void truncatedBodyEndsEarlyThenServiceIsNormal() throws Exception {
        registry.faults().truncateNext(1, BLOB_GETS, 1000);
        IOException cut = assertThrows(IOException.class, () -> getBlob("demo/app"));
        assertTrue(cut.getMessage() != null, "the client saw the body end before Content-Length");
        assertEquals(RegistryClient.sha256(getBlob("demo/app").body()), image.layers().get(0).toString());
    }

    @Test
    void corruptedBodyHasOneByteChanged() throws Exception {
        registry.faults().corruptNext(1, BLOB_GETS);
        byte[] corrupted = getBlob("demo/app").body();
        byte[] good = getBlob("demo/app").body();
        assertEquals(image.layers().get(0).toString(), RegistryClient.sha256(good));
        assertEquals(good.length, corrupted.length);
        int differing = 0;
        for (int i = 0; i < good.length; i++) if (good[i] != corrupted[i]) differing++;
        assertEquals(1, differing);
        assertNotEquals(RegistryClient.sha256(good), RegistryClient.sha256(corrupted));
    }

    @Test
    void throttledBodiesMoveNoFasterThanTheCap() throws Exception {
        registry.faults().throttleNext(2, FaultMatch.any().repository("demo/app"), 400_000);
        long started = System.nanoTime();
        byte[] body = getBlob("demo/app").body();
        long downloadMillis = (System.nanoTime() - started) / 1_000_000;
        assertArrayEquals(getBlob("demo/other").body(), body, "the same content, only slower");
        assertTrue(downloadMillis >= 400, "200 KB at 400 KB/s took " + downloadMillis + " ms");

        byte[] upload = RegistryClient.randomBytes(BLOB_SIZE, 3);
        started = System.nanoTime();
        HttpResponse<byte[]> pushed = client.post("/v2/demo/app/blobs/uploads/?digest=" + RegistryClient.sha256(upload),
                upload);
        long uploadMillis = (System.nanoTime() - started) / 1_000_000;
        assertEquals(201, pushed.statusCode());
        assertTrue(uploadMillis >= 400, "200 KB at 400 KB/s took " + uploadMillis + " ms");
    }

    @Test
    void sampledFaultsAreASeededShareOfMatchingRequests() {
        List<Integer> first = statuses(FaultMatch.of("GET", "/v2/").sampled(0.3, 42), 60);
        List<Integer> again = statuses(FaultMatch.of("GET", "/v2/").sampled(0.3, 42), 60);
        assertEquals(first, again, "the same seed fails the same requests");
        long failed = first.stream().filter(status -> status == 503).count();
        assertTrue(failed >= 6 && failed <= 36, failed + " of 60 failed at 30%");
        assertNotEquals(first, statuses(FaultMatch.of("GET", "/v2/").sampled(0.3, 43), 60), "another seed");
    }

    @Test
    void expiringTokensNeedsABuiltInTokenServer() {
        assertThrows(IllegalStateException.class, () -> registry.faults().expireTokensNow());
    }

    private List<Integer> statuses(FaultMatch match, int requests) {
        registry.faults().clear();
        registry.faults().failNext(org.stevedore.registry.Faults.UNLIMITED, match, 503);
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < requests; i++) statuses.add(client.get("/v2/").statusCode());
        registry.faults().clear();
        return statuses;
    }

    private String blobPath(String repository) {
        return "/v2/" + repository + "/blobs/" + image.layers().get(0);
    }

    private HttpResponse<byte[]> getBlob(String repository) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(registry.url().resolve(blobPath(repository)))
                .GET().build();
        return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }
}
