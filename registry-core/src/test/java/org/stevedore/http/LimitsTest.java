package org.stevedore.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.stevedore.http.RegistryClient.OCI_MANIFEST;
import static org.stevedore.http.RegistryClient.assertError;
import static org.stevedore.http.RegistryClient.header;
import static org.stevedore.http.RegistryClient.sha256;
import static org.stevedore.http.RegistryClient.utf8;
import static org.stevedore.http.RegistryClient.withQuery;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.stevedore.registry.Registry;

/**
 * Each configurable limit, observed through HTTP: manifest size, open upload sessions, upload
 * idle timeout, request header size and page size. Limits that depend on time use a short timeout
 * and bounded polling.
 */
class LimitsTest {

    @Test
    void manifestLargerThanTheLimitIsRefused() {
        try (Registry registry = TestRegistries.builder().maxManifestBytes(2048).start()) {
            RegistryClient client = new RegistryClient(registry);
            byte[] manifest = client.pushImage("limits/manifest", "small", "small");
            assertTrue(manifest.length < 2048);
            byte[] padded = utf8(new String(manifest, java.nio.charset.StandardCharsets.UTF_8)
                    .replaceFirst("\\{", "{\"annotations\":{\"pad\":\"" + "x".repeat(3000) + "\"},"));
            HttpResponse<byte[]> answer = client.put("/v2/limits/manifest/manifests/big", padded, "Content-Type", OCI_MANIFEST);
            assertEquals(413, answer.statusCode(), () -> RegistryClient.text(answer));
            RegistryClient.assertErrorBody(answer.body(), "MANIFEST_INVALID"); // distribution's code for it
            assertEquals(404, client.head("/v2/limits/manifest/manifests/big").statusCode());
        }
    }

    @Test
    void uploadSessionsBeyondTheLimitAreTooManyRequestsUntilOneEnds() throws Exception {
        try (Registry registry = TestRegistries.builder().maxUploadSessions(3).start()) {
            RegistryClient client = new RegistryClient(registry);
            List<String> open = new ArrayList<>();
            for (int i = 0; i < 3; i++) open.add(client.startUpload("limits/sessions"));
            assertError(client.post("/v2/limits/sessions/blobs/uploads/", new byte[0]), 429, "TOOMANYREQUESTS");
            byte[] content = utf8("whole");
            assertError(client.post("/v2/limits/sessions/blobs/uploads/?digest=" + sha256(content), content), 429,
                    "TOOMANYREQUESTS");

            assertEquals(204, client.delete(open.remove(0)).statusCode());
            open.add(client.startUpload("limits/sessions"));
            HttpResponse<byte[]> done = client.put(withQuery(open.remove(0), "digest=" + sha256(content)), content);
            assertEquals(201, done.statusCode(), () -> RegistryClient.text(done));
            open.add(client.startUpload("limits/sessions"));
            assertError(client.post("/v2/limits/sessions/blobs/uploads/", new byte[0]), 429, "TOOMANYREQUESTS");
            assertEquals(3, registry.service().uploads().openSessions());
        }
    }

    @Test
    void theBoundCountsTheSessionsOfEveryRegistrySharingTheStorage() throws Exception {
        org.stevedore.storage.StorageDriver shared = org.stevedore.storage.memory.InMemoryDriver.create();
        try (Registry first = Registry.builder().storage(shared).maxUploadSessions(3).start();
             Registry second = Registry.builder().storage(shared).maxUploadSessions(3).start()) {
            RegistryClient one = new RegistryClient(first);
            RegistryClient two = new RegistryClient(second);
            String onFirst = one.startUpload("limits/fleet");
            one.startUpload("limits/fleet");
            String onSecond = two.startUpload("limits/other");
            assertError(two.post("/v2/limits/fleet/blobs/uploads/", new byte[0]), 429, "TOOMANYREQUESTS");
            assertError(one.post("/v2/limits/fleet/blobs/uploads/", new byte[0]), 429, "TOOMANYREQUESTS");
            assertEquals(3, second.service().uploads().openSessions());

            // A session ends on the node that did not start it: the slot frees for both.
            assertEquals(204, two.delete(onFirst).statusCode());
            String again = two.startUpload("limits/fleet");
            assertError(one.post("/v2/limits/fleet/blobs/uploads/", new byte[0]), 429, "TOOMANYREQUESTS");
            byte[] content = utf8("done on the other node");
            HttpResponse<byte[]> done = one.put(withQuery(onSecond, "digest=" + sha256(content)), content);
            assertEquals(201, done.statusCode(), () -> RegistryClient.text(done));
            assertEquals(2, first.service().uploads().openSessions());
            assertEquals(202, one.post("/v2/limits/fleet/blobs/uploads/", new byte[0]).statusCode());
            assertEquals(204, one.delete(again).statusCode());
        }
    }

    @Test
    void idleUploadSessionsExpireAndStopCounting() throws InterruptedException {
        try (Registry registry = TestRegistries.builder().maxUploadSessions(1)
                // Long enough that a loaded machine answers the PATCH and the POST below within it
                // (4 s was: a cold registry on a busy 2-core CI machine can take longer).
                .uploadIdleTimeout(Duration.ofSeconds(10)).start()) {
            RegistryClient client = new RegistryClient(registry);
            String idle = client.startUpload("limits/idle");
            HttpResponse<byte[]> chunk = client.patch(idle, utf8("abc"));
            assertEquals(202, chunk.statusCode(), () -> RegistryClient.text(chunk));
            assertError(client.post("/v2/limits/idle/blobs/uploads/", new byte[0]), 429, "TOOMANYREQUESTS");

            // Once idle past the timeout the session no longer blocks a new one...
            HttpResponse<byte[]> next = poll(() -> client.post("/v2/limits/idle/blobs/uploads/", new byte[0]), 202);
            assertEquals(202, next.statusCode(), () -> RegistryClient.text(next));
            // ...and using it again finds it gone, its data deleted.
            HttpResponse<byte[]> expired = client.patch(idle, utf8("def"));
            assertError(expired, 404, "BLOB_UPLOAD_UNKNOWN");
            assertTrue(RegistryClient.text(expired).contains("expired"), RegistryClient.text(expired));
            assertEquals(404, client.get(idle).statusCode());
        }
    }

    @Test
    void purgedUploadSessionsStopCounting() throws InterruptedException {
        try (Registry registry = TestRegistries.builder().maxUploadSessions(1).uploadIdleTimeout(Duration.ZERO)
                .uploadPurging(Duration.ZERO, Duration.ofMillis(100), false).start()) {
            RegistryClient client = new RegistryClient(registry);
            String abandoned = client.startUpload("limits/purged");
            // Without an idle timeout only purging frees the slot; it runs every 100 ms here.
            HttpResponse<byte[]> next = poll(() -> client.post("/v2/limits/purged/blobs/uploads/", new byte[0]), 202);
            assertEquals(202, next.statusCode(), () -> RegistryClient.text(next));
            assertEquals(404, client.get(abandoned).statusCode());
        }
    }

    @Test
    void activeUploadSessionsDoNotExpire() {
        try (Registry registry = TestRegistries.builder().uploadIdleTimeout(Duration.ofSeconds(30)).start()) {
            RegistryClient client = new RegistryClient(registry);
            String location = client.startUpload("limits/active");
            byte[] content = utf8("abcdef");
            assertEquals(202, client.patch(location, utf8("abc")).statusCode());
            assertEquals(202, client.patch(location, utf8("def"), "Content-Range", "3-5").statusCode());
            HttpResponse<byte[]> done = client.put(withQuery(location, "digest=" + sha256(content)), new byte[0]);
            assertEquals(201, done.statusCode(), () -> RegistryClient.text(done));
        }
    }

    @Test
    void aSessionOlderThanTheIdleTimeoutLivesWhileDataKeepsComing() throws InterruptedException {
        // Longer than any gap between two PATCHes of the loop below on a loaded machine (3 s was close).
        Duration timeout = Duration.ofSeconds(6);
        try (Registry registry = TestRegistries.builder().uploadIdleTimeout(timeout).start()) {
            RegistryClient client = new RegistryClient(registry);
            String location = client.startUpload("limits/long");
            long started = System.nanoTime();
            StringBuilder sent = new StringBuilder();
            // A chunk every 300 ms until the session is half as old again as the timeout: from
            // then on only its data's time (not its start) shows that it is alive.
            for (int i = 0; System.nanoTime() - started < timeout.toNanos() * 3 / 2; i++) {
                String chunk = "chunk" + i + ";";
                HttpResponse<byte[]> patched = client.patch(location, utf8(chunk));
                assertEquals(202, patched.statusCode(), () -> "after " + (System.nanoTime() - started) / 1_000_000
                        + " ms: " + RegistryClient.text(patched));
                location = header(patched, "Location");
                sent.append(chunk);
                Thread.sleep(300); // the pace of a slow client, not a wait for the registry
            }
            byte[] content = utf8(sent.toString());
            HttpResponse<byte[]> done = client.put(withQuery(location, "digest=" + sha256(content)), new byte[0]);
            assertEquals(201, done.statusCode(), () -> RegistryClient.text(done));
        }
    }

    @Test
    void headersLargerThanTheLimitAreRefused() {
        try (Registry registry = TestRegistries.builder().maxHeaderBytes(4096).start()) {
            RegistryClient client = new RegistryClient(registry);
            assertEquals(200, client.get("/v2/", "X-Filler", "f".repeat(2000)).statusCode());
            RegistryClient.RawResponse answer = client.raw(utf8("GET /v2/ HTTP/1.1\r\n" + client.hostHeader()
                    + "X-Filler: " + "f".repeat(6000) + "\r\nConnection: close\r\n\r\n"), new byte[0], false);
            assertEquals(431, answer.status());
            RegistryClient.assertErrorBody(answer.body(), "UNSUPPORTED");
            assertEquals(200, client.get("/v2/").statusCode());
        }
    }

    @Test
    void pagesAreCutToThePageSize() {
        try (Registry registry = TestRegistries.builder().maxPageSize(2).start()) {
            RegistryClient client = new RegistryClient(registry);
            byte[] manifest = client.pushImage("limits/pages", "a", "pages");
            client.pushManifest("limits/pages", "b", OCI_MANIFEST, manifest);
            client.pushManifest("limits/pages", "c", OCI_MANIFEST, manifest);
            // n beyond ten digits is refused (TagListTest); any n up to that is cut to the page size.
            assertError(client.get("/v2/limits/pages/tags/list?n=999999999999"), 400, "PAGINATION_NUMBER_INVALID");
            for (String query : List.of("", "?n=2147483647", "?n=9999999999", "?n=3")) {
                HttpResponse<byte[]> page = client.get("/v2/limits/pages/tags/list" + query);
                assertEquals(200, page.statusCode());
                assertEquals(List.of("a", "b"), tags(page));
                assertTrue(header(page, "Link").contains("last=b"), header(page, "Link"));
            }
            client.pushImage("limits/pages2", "x", "p2");
            client.pushImage("limits/pages3", "x", "p3");
            HttpResponse<byte[]> catalog = client.get("/v2/_catalog?n=100");
            assertEquals(2, RegistryClient.json(catalog.body()).path("repositories").size());
        }
    }

    private static List<String> tags(HttpResponse<byte[]> page) {
        List<String> tags = new ArrayList<>();
        RegistryClient.json(page.body()).path("tags").forEach(tag -> tags.add(tag.asText()));
        return tags;
    }

    /**
     * Repeats {@code request} every 20 ms until it answers {@code status}, for at most 40 s: well
     * past the 10 s idle timeout above, and without a stream of requests loading the machine.
     */
    private static HttpResponse<byte[]> poll(Supplier<HttpResponse<byte[]>> request, int status) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        HttpResponse<byte[]> answer = request.get();
        while (answer.statusCode() != status && System.nanoTime() < deadline) {
            Thread.sleep(20);
            answer = request.get();
        }
        return answer;
    }
}
