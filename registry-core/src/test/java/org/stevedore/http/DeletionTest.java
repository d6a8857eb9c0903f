package org.stevedore.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.stevedore.http.RegistryClient.OCI_MANIFEST;
import static org.stevedore.http.RegistryClient.assertError;
import static org.stevedore.http.RegistryClient.json;
import static org.stevedore.http.RegistryClient.sha256;
import static org.stevedore.http.RegistryClient.utf8;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.stevedore.registry.Registry;

/**
 * Content management (distribution spec 1.1, "Deleting tags", "Deleting Manifests", "Deleting
 * Blobs"): each deletion answers 202 and the content then answers 404; deleting a tag leaves the
 * manifest and its other tags; with deletion disabled every DELETE is 405 {@code UNSUPPORTED}.
 */
class DeletionTest {
    private static Registry registry;
    private static RegistryClient client;

    @BeforeAll
    static void start() {
        registry = Registry.builder().start();
        client = new RegistryClient(registry);
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    @Test
    void deletingAManifestByDigestRemovesItAndEveryTagPointingAtIt() {
        byte[] manifest = client.pushImage("delete/digest", "v1", "digest");
        String digest = sha256(manifest);
        client.pushManifest("delete/digest", "latest", OCI_MANIFEST, manifest);
        client.pushImage("delete/digest", "other", "other-image");

        HttpResponse<byte[]> deleted = client.delete("/v2/delete/digest/manifests/" + digest);
        assertEquals(202, deleted.statusCode(), () -> RegistryClient.text(deleted));

        assertError(client.get("/v2/delete/digest/manifests/" + digest), 404, "MANIFEST_UNKNOWN");
        assertError(client.get("/v2/delete/digest/manifests/v1"), 404, "MANIFEST_UNKNOWN");
        assertError(client.get("/v2/delete/digest/manifests/latest"), 404, "MANIFEST_UNKNOWN");
        assertEquals(404, client.head("/v2/delete/digest/manifests/" + digest).statusCode());
        assertEquals(List.of("other"), tags("delete/digest"));
        assertEquals(200, client.get("/v2/delete/digest/manifests/other").statusCode());
    }

    @Test
    void deletingATagRemovesOnlyThatTag() {
        byte[] manifest = client.pushImage("delete/tag", "v1", "tag");
        String digest = sha256(manifest);
        client.pushManifest("delete/tag", "v2", OCI_MANIFEST, manifest);

        HttpResponse<byte[]> deleted = client.delete("/v2/delete/tag/manifests/v1");
        assertEquals(202, deleted.statusCode(), () -> RegistryClient.text(deleted));

        assertError(client.get("/v2/delete/tag/manifests/v1"), 404, "MANIFEST_UNKNOWN");
        assertArrayEquals(manifest, client.get("/v2/delete/tag/manifests/v2").body());
        assertArrayEquals(manifest, client.get("/v2/delete/tag/manifests/" + digest).body());
        assertEquals(List.of("v2"), tags("delete/tag"));
    }

    @Test
    void deletedTagCanBePushedAgain() {
        byte[] manifest = client.pushImage("delete/again", "v1", "again");
        assertEquals(202, client.delete("/v2/delete/again/manifests/v1").statusCode());
        client.pushManifest("delete/again", "v1", OCI_MANIFEST, manifest);
        assertArrayEquals(manifest, client.get("/v2/delete/again/manifests/v1").body());
    }

    @Test
    void deletingMissingManifestsAndTagsAnswers404() {
        byte[] manifest = client.pushImage("delete/missing", "v1", "missing");
        assertError(client.delete("/v2/delete/missing/manifests/nope"), 404, "MANIFEST_UNKNOWN");
        assertError(client.delete("/v2/delete/missing/manifests/sha256:" + "0".repeat(64)), 404, "MANIFEST_UNKNOWN");
        assertEquals(202, client.delete("/v2/delete/missing/manifests/" + sha256(manifest)).statusCode());
        assertError(client.delete("/v2/delete/missing/manifests/" + sha256(manifest)), 404, "MANIFEST_UNKNOWN");
        assertError(client.delete("/v2/delete/never-pushed/manifests/v1"), 404, "MANIFEST_UNKNOWN");
    }

    @Test
    void deletingAManifestLeavesOtherRepositoriesAlone() {
        byte[] manifest = client.pushImage("delete/one", "v1", "shared-manifest");
        client.pushImage("delete/two", "v1", "shared-manifest");
        assertEquals(202, client.delete("/v2/delete/one/manifests/" + sha256(manifest)).statusCode());
        assertArrayEquals(manifest, client.get("/v2/delete/two/manifests/v1").body());
        assertEquals(200, client.get("/v2/delete/two/manifests/" + sha256(manifest)).statusCode());
    }

    @Test
    void deletingABlobUnlinksItFromTheRepositoryOnly() {
        byte[] content = utf8("blob to delete");
        String digest = client.pushBlob("delete/blob", content);
        client.pushBlob("delete/blob-elsewhere", content);

        HttpResponse<byte[]> deleted = client.delete("/v2/delete/blob/blobs/" + digest);
        assertEquals(202, deleted.statusCode(), () -> RegistryClient.text(deleted));

        assertError(client.get("/v2/delete/blob/blobs/" + digest), 404, "BLOB_UNKNOWN");
        assertEquals(404, client.head("/v2/delete/blob/blobs/" + digest).statusCode());
        assertError(client.delete("/v2/delete/blob/blobs/" + digest), 404, "BLOB_UNKNOWN");
        assertArrayEquals(content, client.get("/v2/delete/blob-elsewhere/blobs/" + digest).body());
    }

    @Test
    void deletedBlobCanBeUploadedAgain() {
        byte[] content = utf8("comes back");
        String digest = client.pushBlob("delete/back", content);
        assertEquals(202, client.delete("/v2/delete/back/blobs/" + digest).statusCode());
        client.pushBlob("delete/back", content);
        assertArrayEquals(content, client.get("/v2/delete/back/blobs/" + digest).body());
    }

    @Test
    void deletingAMalformedDigestIsBadRequest() {
        assertError(client.delete("/v2/delete/bad/blobs/sha256:xyz"), 400, "DIGEST_INVALID");
    }

    @Test
    void withDeletionDisabledEveryDeleteIsUnsupported() {
        try (Registry locked = Registry.builder().deleteEnabled(false).start()) {
            RegistryClient other = new RegistryClient(locked);
            byte[] manifest = other.pushImage("locked/app", "v1", "locked");
            String blob = other.pushBlob("locked/app", utf8("kept"));
            assertError(other.delete("/v2/locked/app/manifests/v1"), 405, "UNSUPPORTED");
            assertError(other.delete("/v2/locked/app/manifests/" + sha256(manifest)), 405, "UNSUPPORTED");
            assertError(other.delete("/v2/locked/app/blobs/" + blob), 405, "UNSUPPORTED");
            assertArrayEquals(manifest, other.get("/v2/locked/app/manifests/v1").body());
            assertEquals(200, other.head("/v2/locked/app/blobs/" + blob).statusCode());
        }
    }

    /** Cancelling an upload deletes no content: distribution answers 204 with deletion off too. */
    @Test
    void cancellingAnUploadWorksWithDeletionDisabled() {
        try (Registry locked = Registry.builder().deleteEnabled(false).start()) {
            RegistryClient other = new RegistryClient(locked);
            String location = other.startUpload("locked/cancel");
            assertEquals(202, other.patch(location, utf8("partial")).statusCode());
            HttpResponse<byte[]> cancelled = other.delete(location);
            assertEquals(204, cancelled.statusCode(), () -> RegistryClient.text(cancelled));
            assertError(other.get(location), 404, "BLOB_UPLOAD_UNKNOWN");
            assertError(other.delete(location), 404, "BLOB_UPLOAD_UNKNOWN");
            assertError(other.delete("/v2/locked/cancel/blobs/uploads/never-started"), 404, "BLOB_UPLOAD_UNKNOWN");
            assertError(other.delete("/v2/locked/cancel/blobs/uploads/bad%21id"), 404, "BLOB_UPLOAD_UNKNOWN");
        }
    }

    /** Like every upload step, a cancel needs push, not delete: a pusher may clean up its failed push. */
    @Test
    void cancellingAnUploadNeedsPushNotDelete() {
        List<String> asked = new ArrayList<>();
        org.stevedore.auth.AccessController pushOnly = (credentials, needed) -> {
            needed.forEach(access -> asked.add(access.toString()));
            boolean deletes = needed.stream().anyMatch(access -> access.action() == org.stevedore.auth.Action.DELETE);
            return deletes ? new org.stevedore.auth.Decision.Denied("pusher", "no delete")
                    : new org.stevedore.auth.Decision.Allowed(java.util.Optional.of("pusher"));
        };
        try (Registry guarded = Registry.builder().accessController(pushOnly).deleteEnabled(false).start()) {
            RegistryClient other = new RegistryClient(guarded);
            String location = other.startUpload("guarded/cancel");
            assertEquals(204, other.delete(location).statusCode(), () -> String.join("\n", asked));
            String blob = other.pushBlob("guarded/cancel", utf8("kept"));
            assertError(other.delete("/v2/guarded/cancel/blobs/" + blob), 403, "DENIED");
        }
    }

    @Test
    void tagListShrinksAfterDeletion() {
        client.pushImage("delete/list", "a", "list-a");
        client.pushImage("delete/list", "b", "list-b");
        assertEquals(2, tags("delete/list").size());
        assertEquals(202, client.delete("/v2/delete/list/manifests/a").statusCode());
        List<String> left = tags("delete/list");
        assertEquals(List.of("b"), left);
        assertFalse(left.contains("a"));
        assertTrue(client.storesAnythingFor("delete/list"));
    }

    @Test
    void tagListIsEmptyNotUnknownOnceEveryTagIsDeleted() {
        byte[] manifest = client.pushImage("delete/all-tags", "only", "all-tags");
        assertEquals(202, client.delete("/v2/delete/all-tags/manifests/only").statusCode());
        assertEquals(List.of(), tags("delete/all-tags"));
        assertEquals(202, client.delete("/v2/delete/all-tags/manifests/" + sha256(manifest)).statusCode());
        assertEquals(List.of(), tags("delete/all-tags"));
    }

    private static List<String> tags(String name) {
        HttpResponse<byte[]> response = client.get("/v2/" + name + "/tags/list");
        assertEquals(200, response.statusCode(), () -> RegistryClient.text(response));
        List<String> tags = new ArrayList<>();
        json(response.body()).path("tags").forEach(t -> tags.add(t.asText()));
        return tags;
    }
}
