package org.stevedore.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.stevedore.http.RegistryClient.OCI_MANIFEST;
import static org.stevedore.http.RegistryClient.assertError;
import static org.stevedore.http.RegistryClient.sha256;
import static org.stevedore.http.RegistryClient.utf8;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.stevedore.registry.Registry;
import org.stevedore.storage.StorageDriver;
import org.stevedore.storage.memory.InMemoryDriver;

/**
 * Read-only mode ({@code storage.maintenance.readonly.enabled}): every write answers 405
 * {@code UNSUPPORTED} and changes nothing; every read works.
 */
class ReadOnlyTest {
    private static Registry readOnly;
    private static RegistryClient client;
    private static byte[] manifest;
    private static String blob;

    @BeforeAll
    static void start() {
        StorageDriver storage = InMemoryDriver.create();
        try (Registry writable = Registry.builder().storage(storage).start()) {
            RegistryClient writer = new RegistryClient(writable);
            manifest = writer.pushImage("ro/app", "v1", "read-only");
            blob = writer.pushBlob("ro/app", utf8("a blob"));
        }
        readOnly = Registry.builder().storage(storage).readOnly(true).start();
        client = new RegistryClient(readOnly);
    }

    @AfterAll
    static void stop() {
        readOnly.close();
    }

    @Test
    void readsWork() {
        assertEquals(200, client.get("/v2/").statusCode());
        assertArrayEquals(manifest, client.get("/v2/ro/app/manifests/v1").body());
        assertEquals(200, client.head("/v2/ro/app/manifests/" + sha256(manifest)).statusCode());
        assertArrayEquals(utf8("a blob"), client.get("/v2/ro/app/blobs/" + blob).body());
        assertEquals(200, client.get("/v2/ro/app/tags/list").statusCode());
        assertEquals(200, client.get("/v2/_catalog").statusCode());
        assertEquals(200, client.get("/v2/ro/app/referrers/" + sha256(manifest)).statusCode());
    }

    @Test
    void everyWriteIsUnsupported() {
        byte[] content = utf8("new content");
        assertError(client.post("/v2/ro/app/blobs/uploads/", new byte[0]), 405, "UNSUPPORTED");
        assertError(client.post("/v2/ro/app/blobs/uploads/?digest=" + sha256(content), content), 405, "UNSUPPORTED");
        assertError(client.post("/v2/ro/other/blobs/uploads/?mount=" + blob + "&from=ro/app", new byte[0]),
                405, "UNSUPPORTED");
        assertError(client.patch("/v2/ro/app/blobs/uploads/some-id", content), 405, "UNSUPPORTED");
        assertError(client.put("/v2/ro/app/blobs/uploads/some-id?digest=" + sha256(content), content),
                405, "UNSUPPORTED");
        assertError(client.put("/v2/ro/app/manifests/v2", manifest, "Content-Type", OCI_MANIFEST), 405, "UNSUPPORTED");
        assertError(client.delete("/v2/ro/app/manifests/v1"), 405, "UNSUPPORTED");
        assertError(client.delete("/v2/ro/app/manifests/" + sha256(manifest)), 405, "UNSUPPORTED");
        assertError(client.delete("/v2/ro/app/blobs/" + blob), 405, "UNSUPPORTED");

        assertArrayEquals(manifest, client.get("/v2/ro/app/manifests/v1").body());
        assertEquals(404, client.head("/v2/ro/app/manifests/v2").statusCode());
        assertEquals(404, client.head("/v2/ro/app/blobs/" + sha256(content)).statusCode());
        assertEquals(false, client.storesAnythingFor("ro/other"));
    }
}
