package org.stevedore.storage.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.stevedore.storage.s3.S3Http.header;
import static org.stevedore.storage.s3.S3Http.send;
import static org.stevedore.storage.s3.S3Http.text;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.stevedore.registry.Registry;

/** Blob GETs answered with presigned redirects, and what clients see when S3 cannot be reached. */
class S3RedirectAndFailureTest {
    @RegisterExtension
    static final S3ProxyExtension S3 = new S3ProxyExtension();

    @Test
    void blobGetRedirectsToAPresignedUrlThatServesTheBytes() {
        byte[] blob = new byte[200_000];
        new Random(3).nextBytes(blob);
        try (S3Driver driver = S3Driver.create(S3.settings()); Registry registry = Registry.builder().storage(driver).start()) {
            String digest = S3Http.pushBlob(registry, "redirected/app", blob);

            HttpResponse<byte[]> get = send(registry, "GET", "/v2/redirected/app/blobs/" + digest, new byte[0]);
            assertEquals(307, get.statusCode(), () -> text(get));
            URI location = URI.create(header(get, "Location"));
            assertTrue(location.getRawQuery().contains("X-Amz-Signature="), "a presigned URL");

            HttpResponse<byte[]> fetched = send(location, "GET", new byte[0]);
            assertEquals(200, fetched.statusCode(), () -> text(fetched));
            assertArrayEquals(blob, fetched.body());

            HttpResponse<byte[]> ranged = send(registry, "GET", "/v2/redirected/app/blobs/" + digest, new byte[0],
                    "Range", "bytes=10-19");
            assertEquals(206, ranged.statusCode(), "a range is served directly");
            assertArrayEquals(java.util.Arrays.copyOfRange(blob, 10, 20), ranged.body());
        }
    }

    @Test
    void redirectDisabledServesTheBytesItself() {
        byte[] blob = "served by the registry".getBytes(StandardCharsets.UTF_8);
        try (S3Driver driver = S3Driver.create(S3.settings().withRedirect(false));
                Registry registry = Registry.builder().storage(driver).start()) {
            String digest = S3Http.pushBlob(registry, "direct/app", blob);

            HttpResponse<byte[]> get = send(registry, "GET", "/v2/direct/app/blobs/" + digest, new byte[0]);
            assertEquals(200, get.statusCode(), () -> text(get));
            assertArrayEquals(blob, get.body());
        }
    }

    @Test
    void unreachableStoreAnswers503WithOciErrorJson() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        S3DriverSettings settings = S3.settingsWith(Map.of("regionendpoint", "http://127.0.0.1:" + closedPort))
                .withApiCallTimeout(Duration.ofSeconds(5), 1);
        try (S3Driver driver = S3Driver.create(settings); Registry registry = Registry.builder().storage(driver).start()) {
            for (String path : new String[] {"/v2/down/app/manifests/latest", "/v2/down/app/tags/list"}) {
                HttpResponse<byte[]> response = send(registry, "GET", path, new byte[0]);
                assertEquals(503, response.statusCode(), () -> text(response));
                String body = new String(response.body(), StandardCharsets.UTF_8);
                assertTrue(body.contains("\"code\":\"UNAVAILABLE\""), body);
                assertTrue(!body.contains("127.0.0.1:" + closedPort), "no endpoint in the error: " + body);
            }
        }
    }
}
