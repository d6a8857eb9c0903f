package org.stevedore.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.stevedore.http.RegistryClient.assertError;
import static org.stevedore.http.RegistryClient.sha256;
import static org.stevedore.http.RegistryClient.utf8;
import static org.stevedore.http.RegistryClient.withQuery;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.stevedore.model.RepositoryName;
import org.stevedore.registry.Registry;
import org.stevedore.storage.layout.StorageLayout;

/**
 * Upload purging ({@code storage.maintenance.uploadpurging}): abandoned sessions older than the
 * age are removed by the running registry and then answer 404; younger ones keep working; a dry
 * run removes nothing; sessions written by distribution (its {@code startedat} format) are purged.
 */
class UploadPurgingTest {

    @Test
    void runningRegistryPurgesAnAbandonedSession() throws Exception {
        // Sessions older than 5 s are purged: long enough that a loaded machine sends the PATCH
        // below before its session is purged (300 ms was not: the PATCH could meet a 404).
        try (Registry registry = Registry.builder()
                .uploadPurging(Duration.ofSeconds(5), Duration.ofMillis(50), false).start()) {
            RegistryClient client = new RegistryClient(registry);
            String location = client.startUpload("purge/app");
            HttpResponse<byte[]> patched = client.patch(location, utf8("half an upload"),
                    "Content-Type", "application/octet-stream");
            assertEquals(202, patched.statusCode());

            long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
            int status = 204;
            while (status != 404 && System.nanoTime() < deadline) {
                status = client.get(location).statusCode();
                if (status != 404) Thread.sleep(20); // bounded polling, without a stream of requests
            }
            assertError(client.get(location), 404, "BLOB_UPLOAD_UNKNOWN");
            assertError(client.patch(location, utf8("more"), "Content-Type", "application/octet-stream"),
                    404, "BLOB_UPLOAD_UNKNOWN");
            assertEquals(List.of(), registry.storage().list(StorageLayout.uploadsDirectory(RepositoryName.of("purge/app"))));
        }
    }

    @Test
    void youngSessionsSurviveAndDryRunDeletesNothing() throws IOException {
        try (Registry registry = Registry.builder().start()) {
            RegistryClient client = new RegistryClient(registry);
            String location = client.startUpload("purge/young");
            List<String> lines = new ArrayList<>();

            assertEquals(0, registry.service().uploadPurger().purge(Duration.ofHours(1), false, lines::add));
            assertEquals(1, registry.service().uploadPurger().purge(Duration.ZERO, true, lines::add));
            assertTrue(lines.get(0).startsWith("upload eligible for purging: purge/young "), lines.toString());

            byte[] content = utf8("finished after all");
            HttpResponse<byte[]> done = client.put(withQuery(location, "digest=" + sha256(content)), content,
                    "Content-Type", "application/octet-stream");
            assertEquals(201, done.statusCode(), () -> RegistryClient.text(done));
            assertEquals(200, client.head("/v2/purge/young/blobs/" + sha256(content)).statusCode());
        }
    }

    @Test
    void sessionsLeftByDistributionArePurgedByTheirStartTime() throws IOException {
        try (Registry registry = Registry.builder().start()) {
            RepositoryName name = RepositoryName.of("purge/legacy");
            String id = "2b9bd1f2-5a39-4b80-9e0b-1c2d3e4f5a6b";
            registry.storage().writeSmall(StorageLayout.uploadStartedAt(name, id),
                    "2020-01-01T00:00:00Z".getBytes(StandardCharsets.UTF_8));
            registry.storage().writeSmall(StorageLayout.uploadData(name, id), utf8("stale"));
            RegistryClient client = new RegistryClient(registry);
            assertEquals(204, client.get("/v2/purge/legacy/blobs/uploads/" + id).statusCode());

            assertEquals(1, registry.service().uploadPurger().purge(Duration.ofHours(168), false, line -> { }));
            assertError(client.get("/v2/purge/legacy/blobs/uploads/" + id), 404, "BLOB_UPLOAD_UNKNOWN");
        }
    }

    @Test
    void purgingRemovesTheSessionMarkersWithTheSessionsAndThoseLeftWithoutOne() throws Exception {
        try (Registry registry = Registry.builder().start()) {
            RegistryClient client = new RegistryClient(registry);
            String location = client.startUpload("purge/marked");
            String id = location.substring(location.lastIndexOf('/') + 1);
            assertTrue(registry.storage().statFile(StorageLayout.uploadSessionMarker(id)).isPresent());
            // A node killed after it deleted a session but before its marker.
            registry.storage().writeSmall(StorageLayout.uploadSessionMarker("orphan"), utf8("purge/gone"));
            assertEquals(2, registry.service().uploads().openSessions());

            Thread.sleep(20); // both older than the age below, on any clock resolution of the store
            assertEquals(1, registry.service().uploadPurger().purge(Duration.ofMillis(10), false, line -> { }));
            assertEquals(List.of(), registry.storage().list(StorageLayout.UPLOAD_SESSIONS));
            assertEquals(0, registry.service().uploads().openSessions());
        }
    }
}
