package org.stevedore.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.stevedore.http.RegistryClient.assertError;
import static org.stevedore.http.RegistryClient.header;
import static org.stevedore.http.RegistryClient.sha256;
import static org.stevedore.http.RegistryClient.utf8;
import static org.stevedore.http.RegistryClient.withQuery;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.stevedore.registry.Registry;

/** The life of an upload session: status, cancel, unknown ids, and a {@code PUT} without a usable digest. */
class UploadSessionTest {
    private static final String UNKNOWN_ID = "00000000-0000-0000-0000-000000000000";

    private static Registry registry;
    private static RegistryClient client;

    @BeforeAll
    static void start() {
        registry = TestRegistries.builder().start();
        client = new RegistryClient(registry);
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    @Test
    void newSessionAnswersWithLocationAndEmptyRange() {
        HttpResponse<byte[]> started = client.post("/v2/session/new/blobs/uploads/", new byte[0]);
        assertEquals(202, started.statusCode());
        String location = header(started, "Location");
        assertEquals("0-0", header(started, "Range"));
        assertEquals("0", header(started, "Content-Length"));
        assertEquals(location, "/v2/session/new/blobs/uploads/" + header(started, "Docker-Upload-UUID"));

        HttpResponse<byte[]> status = client.get(location);
        assertEquals(204, status.statusCode());
        assertEquals(location, header(status, "Location"));
        assertEquals("0-0", header(status, "Range"));
        assertEquals(0, status.body().length);
    }

    /**
     * A session starts with records written without a sync, which a crash of the machine may lose
     * (see {@code UploadService#start}); here they are deleted by hand, as such a crash would.
     * Before its first chunk the session is simply unknown; after it, its data carries it on.
     */
    @Test
    void aSessionWhoseStartRecordsAMachineCrashLostContinuesFromItsCommittedData() throws Exception {
        String location = client.startUpload("session/crashed");
        String id = location.substring(location.lastIndexOf('/') + 1);
        org.stevedore.model.RepositoryName name = org.stevedore.model.RepositoryName.of("session/crashed");
        assertEquals(202, client.patch(location, utf8("12345"), "Content-Range", "0-4").statusCode());
        registry.storage().delete(org.stevedore.storage.layout.StorageLayout.uploadStartedAt(name, id));
        registry.storage().delete(org.stevedore.storage.layout.StorageLayout.uploadSessionMarker(id));

        HttpResponse<byte[]> status = client.get(location);
        assertEquals(204, status.statusCode());
        assertEquals("0-4", header(status, "Range"));
        assertEquals(202, client.patch(location, utf8("678"), "Content-Range", "5-7").statusCode());
        HttpResponse<byte[]> done = client.put(withQuery(location, "digest=" + sha256(utf8("12345678"))), new byte[0]);
        assertEquals(201, done.statusCode(), () -> RegistryClient.text(done));
        assertEquals(200, client.head("/v2/session/crashed/blobs/" + sha256(utf8("12345678"))).statusCode());

        String empty = client.startUpload("session/crashed");
        String emptyId = empty.substring(empty.lastIndexOf('/') + 1);
        registry.storage().delete(org.stevedore.storage.layout.StorageLayout.uploadStartedAt(name, emptyId));
        assertError(client.get(empty), 404, "BLOB_UPLOAD_UNKNOWN");
        assertError(client.patch(empty, utf8("1"), "Content-Range", "0-0"), 404, "BLOB_UPLOAD_UNKNOWN");
    }

    @Test
    void statusReportsWhatWasReceived() {
        String location = client.startUpload("session/progress");
        assertEquals(202, client.patch(location, utf8("12345"), "Content-Range", "0-4").statusCode());
        HttpResponse<byte[]> status = client.get(location);
        assertEquals(204, status.statusCode());
        assertEquals("0-4", header(status, "Range"));
        assertEquals(location, header(status, "Location"));
    }

    @Test
    void eachPostOpensItsOwnSession() {
        String first = client.startUpload("session/two");
        String second = client.startUpload("session/two");
        assertFalse(first.equals(second));
        assertEquals(202, client.patch(first, utf8("abc")).statusCode());
        assertEquals("0-2", header(client.get(first), "Range"));
        assertEquals("0-0", header(client.get(second), "Range"));
    }

    @Test
    void cancelEndsTheSession() {
        String location = client.startUpload("session/cancel");
        assertEquals(202, client.patch(location, utf8("data")).statusCode());

        HttpResponse<byte[]> cancelled = client.delete(location);
        assertEquals(204, cancelled.statusCode());

        assertError(client.get(location), 404, "BLOB_UPLOAD_UNKNOWN");
        assertError(client.patch(location, utf8("more")), 404, "BLOB_UPLOAD_UNKNOWN");
        assertError(client.put(withQuery(location, "digest=" + sha256(utf8("data"))), new byte[0]),
                404, "BLOB_UPLOAD_UNKNOWN");
        assertError(client.delete(location), 404, "BLOB_UPLOAD_UNKNOWN");
        assertEquals(404, client.head("/v2/session/cancel/blobs/" + sha256(utf8("data"))).statusCode());
    }

    @Test
    void completedSessionIsGone() {
        String location = client.startUpload("session/completed");
        byte[] content = utf8("complete me");
        assertEquals(201, client.put(withQuery(location, "digest=" + sha256(content)), content).statusCode());
        assertError(client.get(location), 404, "BLOB_UPLOAD_UNKNOWN");
        assertError(client.patch(location, utf8("late")), 404, "BLOB_UPLOAD_UNKNOWN");
    }

    @Test
    void unknownSessionIdIsUploadUnknown() {
        String location = "/v2/session/unknown/blobs/uploads/" + UNKNOWN_ID;
        assertError(client.get(location), 404, "BLOB_UPLOAD_UNKNOWN");
        assertError(client.patch(location, utf8("x")), 404, "BLOB_UPLOAD_UNKNOWN");
        assertError(client.put(withQuery(location, "digest=" + sha256(utf8("x"))), utf8("x")),
                404, "BLOB_UPLOAD_UNKNOWN");
        assertError(client.delete(location), 404, "BLOB_UPLOAD_UNKNOWN");
    }

    @ParameterizedTest
    @ValueSource(strings = {"not.an.id", "a~b", "x129"})
    void sessionIdOutsideTheGrammarIsUploadUnknown(String id) {
        String path = id.equals("x129") ? "x".repeat(129) : id;
        assertError(client.get("/v2/session/unknown/blobs/uploads/" + path), 404, "BLOB_UPLOAD_UNKNOWN");
    }

    @Test
    void sessionBelongsToItsRepository() {
        String location = client.startUpload("session/owner");
        String id = location.substring(location.lastIndexOf('/') + 1);
        String elsewhere = "/v2/session/intruder/blobs/uploads/" + id;
        assertError(client.get(elsewhere), 404, "BLOB_UPLOAD_UNKNOWN");
        assertError(client.patch(elsewhere, utf8("x")), 404, "BLOB_UPLOAD_UNKNOWN");
        assertError(client.delete(elsewhere), 404, "BLOB_UPLOAD_UNKNOWN");
        assertEquals(204, client.get(location).statusCode());
    }

    @Test
    void putWithoutDigestIsDigestInvalid() {
        String location = client.startUpload("session/no-digest");
        byte[] content = utf8("no digest given");
        assertError(client.put(location, content), 400, "DIGEST_INVALID");
        assertEquals(404, client.head("/v2/session/no-digest/blobs/" + sha256(content)).statusCode());
    }

    @ParameterizedTest
    @ValueSource(strings = {"sha256:abc", "sha256", "sha256:", ":abc", "nocolon",
            "sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855",
            "SHA256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"})
    void putWithMalformedDigestIsDigestInvalid(String digest) {
        String location = client.startUpload("session/bad-digest");
        assertError(client.put(withQuery(location, "digest=" + digest), utf8("x")), 400, "DIGEST_INVALID");
    }

    @Test
    void putWithEmptyDigestParameterIsDigestInvalid() {
        String location = client.startUpload("session/empty-digest");
        assertError(client.put(withQuery(location, "digest="), new byte[0]), 400, "DIGEST_INVALID");
    }
}
