package org.stevedore.notifications;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.stevedore.http.CompletedRequest;
import org.stevedore.http.V2Router;

/** Which requests are events, and which action each is, as distribution's listener decides. */
class EventClassifierTest {
    private static final String DIGEST = "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

    @ParameterizedTest(name = "{0} {1} {2} -> {3}")
    @CsvSource({
            "PUT, /v2/a/manifests/v1, 201, push",
            "GET, /v2/a/manifests/v1, 200, pull",
            "HEAD, /v2/a/manifests/v1, 200, pull",
            "GET, /v2/a/manifests/v1, 404, none",
            "DELETE, /v2/a/manifests/v1, 202, delete",
            "PUT, /v2/a/manifests/v1, 400, none",
            "GET, /v2/a/blobs/" + DIGEST + ", 200, pull",
            "GET, /v2/a/blobs/" + DIGEST + ", 206, pull",
            "GET, /v2/a/blobs/" + DIGEST + ", 307, pull",
            "HEAD, /v2/a/blobs/" + DIGEST + ", 200, pull",
            "HEAD, /v2/a/blobs/" + DIGEST + ", 404, none",
            "DELETE, /v2/a/blobs/" + DIGEST + ", 202, delete",
            "PUT, /v2/a/blobs/uploads/some-id, 201, push",
            "PATCH, /v2/a/blobs/uploads/some-id, 202, none",
            "POST, /v2/a/blobs/uploads/, 202, none",
            "GET, /v2/a/tags/list, 200, none",
            "GET, /v2/_catalog, 200, none",
            "GET, /v2/a/manifests/v1, 401, none",
    })
    void classifies(String method, String path, int status, String expected) {
        CompletedRequest request = new CompletedRequest(Optional.of(V2Router.route(path)), method, path, status,
                Optional.of(DIGEST), Optional.empty(), Optional.empty(), Optional.empty());
        assertEquals(expected, EventClassifier.classify(request, Instant.EPOCH).map(e -> e.action().wireName())
                .orElse("none"));
    }

    @ParameterizedTest(name = "mount={0} digest={1} -> {2}")
    @CsvSource({
            DIGEST + ", , mount",
            ", " + DIGEST + ", push",
            DIGEST + ", " + DIGEST + ", push",
    })
    void uploadStartIsAMountOnlyWithoutDigest(String mount, String digest, String expected) {
        String path = "/v2/a/blobs/uploads/";
        CompletedRequest request = new CompletedRequest(Optional.of(V2Router.route(path)), "POST", path, 201,
                Optional.of(DIGEST), Optional.empty(), Optional.ofNullable(mount), Optional.ofNullable(digest),
                CompletedRequest.ClientInfo.UNKNOWN, Optional.of("b"));
        PendingEvent event = EventClassifier.classify(request, Instant.EPOCH).orElseThrow();
        assertEquals(expected, event.action().wireName());
        assertEquals(expected.equals("mount") ? Optional.of("b") : Optional.empty(), event.fromRepository());
    }

    @ParameterizedTest
    @CsvSource({"/127.0.0.1:5000, 127.0.0.1:5000", "localhost/127.0.0.1:80, 127.0.0.1:80",
            "/[0:0:0:0:0:0:0:1]:5000, [0:0:0:0:0:0:0:1]:5000"})
    void addressDropsTheResolvedNamePrefix(String socketAddress, String expected) {
        assertEquals(expected, EventClassifier.address(socketAddress));
    }
}
