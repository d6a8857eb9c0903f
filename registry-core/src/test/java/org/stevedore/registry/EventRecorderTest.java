package org.stevedore.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.stevedore.http.CompletedRequest;
import org.stevedore.http.V2Router;

/**
 * Which completed requests become which events; table-driven, so kinds the HTTP tests cannot
 * reach yet (deletions) are pinned down too.
 */
class EventRecorderTest {
    private static final String DIGEST = "sha256:" + "a".repeat(64);

    @ParameterizedTest
    @CsvSource(nullValues = "-", value = {
            "PUT,    /v2/r/manifests/1,            201, -,     -,    PUSH",
            "GET,    /v2/r/manifests/1,            200, -,     -,    PULL",
            "HEAD,   /v2/r/manifests/1,            200, -,     -,    -",
            "GET,    /v2/r/manifests/1,            404, -,     -,    -",
            "DELETE, /v2/r/manifests/{digest},     202, -,     -,    DELETE",
            "GET,    /v2/r/blobs/{digest},     206, -,     -,    BLOB_PULL",
            "GET,    /v2/r/blobs/{digest},     307, -,     -,    BLOB_PULL",
            "DELETE, /v2/r/blobs/{digest},     202, -,     -,    DELETE",
            "POST,   /v2/r/blobs/uploads/,         201, mount, -,    MOUNT",
            "POST,   /v2/r/blobs/uploads/,         201, -,     dgst, BLOB_PUSH",
            "POST,   /v2/r/blobs/uploads/,         202, mount, -,    -",
            "PATCH,  /v2/r/blobs/uploads/abc,      202, -,     -,    -",
            "PUT,    /v2/r/blobs/uploads/abc,      201, -,     -,    BLOB_PUSH",
            "GET,    /v2/r/tags/list,              401, -,     -,    AUTH_FAILED",
            "PUT,    /v2/r/manifests/1,            403, -,     -,    AUTH_FAILED",
            "GET,    /v2/_catalog,                 200, -,     -,    -",
    })
    void classifies(String method, String template, int status, String mount, String digest, String expected) {
        String path = template.replace("{digest}", DIGEST);
        CompletedRequest request = new CompletedRequest(Optional.of(V2Router.route(path)), method, path, status,
                Optional.empty(), Optional.empty(), Optional.ofNullable(mount).map(m -> DIGEST),
                Optional.ofNullable(digest).map(d -> DIGEST));
        assertEquals(Optional.ofNullable(expected).map(RegistryEvent.Type::valueOf), EventRecorder.typeOf(request));
    }

    @ParameterizedTest
    @CsvSource({"DELETE, /v2/team/app/manifests/" + "sha256:" + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
    void deletionNamesRepositoryReferenceAndDigest(String method, String template) {
        String path = template.replace("{digest}", DIGEST);
        EventJournal journal = new EventJournal(10);
        new EventRecorder(journal, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC)).completed(new CompletedRequest(
                Optional.of(V2Router.route(path)), method, path, 202, Optional.empty(), Optional.of("ci"),
                Optional.empty(), Optional.empty()));
        assertEquals(List.of(new RegistryEvent(RegistryEvent.Type.DELETE, Optional.of("team/app"), Optional.of(DIGEST),
                Optional.of(DIGEST), Optional.of("ci"), method, path, 202, Instant.EPOCH)), journal.all());
    }
}
