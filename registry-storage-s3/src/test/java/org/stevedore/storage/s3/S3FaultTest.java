package org.stevedore.storage.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.stevedore.storage.s3.S3Http.header;
import static org.stevedore.storage.s3.S3Http.send;
import static org.stevedore.storage.s3.S3Http.text;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.stevedore.registry.Registry;

/**
 * Faults between the driver and S3 (a {@link FaultProxy} in front of S3Proxy): throttling, server
 * errors and dropped connections are retried with backoff and cost no byte; an outage that outlasts
 * the retries is a 503 with the OCI error JSON, and the upload it interrupted continues afterwards.
 */
class S3FaultTest {
    @RegisterExtension
    static final S3ProxyExtension S3 = new S3ProxyExtension();

    private FaultProxy proxy;
    private S3Driver driver;
    private Registry registry;

    @BeforeEach
    void start() throws Exception {
        proxy = new FaultProxy(S3.requireEndpoint().uri());
        driver = S3Driver.create(S3.settingsWith(Map.of("regionendpoint", proxy.endpoint().toString(), "maxretries", 3))
                .withRedirect(false));
        registry = Registry.builder().storage(driver).start();
    }

    @AfterEach
    void stop() throws Exception {
        registry.close();
        driver.close();
        proxy.close();
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    @Test
    void retriesThrottlingServerErrorsAndDroppedConnections() throws Exception {
        byte[] bytes = random(70_000, 1);
        proxy.inject(FaultProxy.SLOW_DOWN, FaultProxy.INTERNAL_ERROR, FaultProxy.DROP);
        driver.writeSmall("/docker/f/file", bytes);
        proxy.inject(FaultProxy.DROP, FaultProxy.SLOW_DOWN);

        assertArrayEquals(bytes, driver.readSmall("/docker/f/file", 100_000));
        assertEquals(0, proxy.pendingFaults(), "every injected fault was met");
        assertEquals(5, proxy.faults());
    }

    @Test
    void chunkedPushThroughIntermittentFaultsKeepsEveryByte() {
        byte[] blob = random(12 * 1024 * 1024 + 77, 2);
        String digest = S3Http.sha256(blob);
        int[] cuts = {0, 2_000_000, 7_000_000, blob.length};
        HttpResponse<byte[]> started = send(registry, "POST", "/v2/faulty/app/blobs/uploads/", new byte[0]);
        assertEquals(202, started.statusCode(), () -> text(started));
        String location = header(started, "Location");
        for (int i = 0; i + 1 < cuts.length; i++) {
            // Every other request to S3 meets a fault, of each kind in turn.
            for (int f = 0; f < 8; f++) {
                proxy.inject(FaultProxy.PASS, switch (f % 4) {
                    case 0 -> FaultProxy.SLOW_DOWN;
                    case 1 -> FaultProxy.DROP;
                    case 2 -> FaultProxy.INTERNAL_ERROR;
                    default -> new FaultProxy.Fault.Delay(200);
                });
            }
            HttpResponse<byte[]> chunk = send(registry, "PATCH", location, Arrays.copyOfRange(blob, cuts[i], cuts[i + 1]),
                    "Content-Range", cuts[i] + "-" + (cuts[i + 1] - 1), "Content-Type", "application/octet-stream");
            assertEquals(202, chunk.statusCode(), () -> text(chunk));
            location = header(chunk, "Location");
        }
        String put = location + (location.contains("?") ? "&" : "?") + "digest=" + digest;
        HttpResponse<byte[]> done = send(registry, "PUT", put, new byte[0]);
        assertEquals(201, done.statusCode(), () -> text(done));

        HttpResponse<byte[]> pulled = send(registry, "GET", "/v2/faulty/app/blobs/" + digest, new byte[0]);
        assertEquals(200, pulled.statusCode(), () -> text(pulled));
        assertArrayEquals(blob, pulled.body());
        assertTrue(proxy.faults() >= 10, "faults met: " + proxy.faults());
    }

    @Test
    void outageBeyondTheRetriesIs503AndTheUploadContinuesAfterIt() {
        byte[] blob = random(300_000, 3);
        String digest = S3Http.sha256(blob);
        HttpResponse<byte[]> started = send(registry, "POST", "/v2/outage/app/blobs/uploads/", new byte[0]);
        String location = header(started, "Location");
        HttpResponse<byte[]> first = send(registry, "PATCH", location, Arrays.copyOfRange(blob, 0, 100_000),
                "Content-Range", "0-99999", "Content-Type", "application/octet-stream");
        assertEquals(202, first.statusCode(), () -> text(first));
        location = header(first, "Location");

        proxy.failEverything(FaultProxy.INTERNAL_ERROR);
        HttpResponse<byte[]> failed = send(registry, "PATCH", location, Arrays.copyOfRange(blob, 100_000, 300_000),
                "Content-Range", "100000-299999", "Content-Type", "application/octet-stream");
        assertEquals(503, failed.statusCode(), () -> text(failed));
        String body = new String(failed.body(), StandardCharsets.UTF_8);
        assertTrue(body.startsWith("{\"errors\":[{\"code\":\"UNAVAILABLE\""), body);
        proxy.failEverything(null);

        HttpResponse<byte[]> status = send(registry, "GET", location, new byte[0]);
        assertEquals(204, status.statusCode(), () -> text(status));
        assertEquals("0-99999", header(status, "Range"), "the failed PATCH moved nothing");
        HttpResponse<byte[]> retried = send(registry, "PATCH", location, Arrays.copyOfRange(blob, 100_000, 300_000),
                "Content-Range", "100000-299999", "Content-Type", "application/octet-stream");
        assertEquals(202, retried.statusCode(), () -> text(retried));
        String put = header(retried, "Location");
        HttpResponse<byte[]> done = send(registry, "PUT", put + (put.contains("?") ? "&" : "?") + "digest=" + digest, new byte[0]);
        assertEquals(201, done.statusCode(), () -> text(done));
        assertArrayEquals(blob, send(registry, "GET", "/v2/outage/app/blobs/" + digest, new byte[0]).body());
    }
}
