package org.stevedore.policies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.stevedore.registry.Registry;
import org.stevedore.registry.fixtures.ImageSpec;
import org.stevedore.registry.fixtures.PushedImage;

/**
 * Immutable tags over HTTP: moving or deleting a covered tag, or deleting the manifest it points
 * at, is 403 DENIED naming the rule; the same digest pushed again is fine; uncovered tags and
 * repositories behave as ever.
 */
class ImmutableTagsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static Registry registry;

    @BeforeAll
    static void start() {
        registry = Registry.builder().manifestGuard(new ImmutableTags(List.of(
                new ImmutableRule("policies.immutable[0]", Glob.of("prod/**"), Glob.of("v*"))))).start();
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    @Test
    void movingACoveredTagIsDeniedNamingTheRule() throws Exception {
        PushedImage first = registry.fixtures().pushImage("prod/app", "v1", ImageSpec.layers(10).seed(1));
        PushedImage second = registry.fixtures().pushImage("prod/app", "build", ImageSpec.layers(10).seed(2));

        HttpResponse<byte[]> moved = send("PUT", "/v2/prod/app/manifests/v1", second.manifestBytes(),
                second.mediaType().value());

        assertDenied(moved, "tag prod/app:v1 is immutable", "policies.immutable[0]", "\"prod/**\"", "\"v*\"");
        assertEquals(first.manifest().toString(), digestOf("prod/app", "v1"), "the tag still points where it did");
    }

    @Test
    void pushingTheSameDigestAgainSucceeds() throws Exception {
        PushedImage image = registry.fixtures().pushImage("prod/rerun", "v2", ImageSpec.layers(10).seed(3));

        HttpResponse<byte[]> again = send("PUT", "/v2/prod/rerun/manifests/v2", image.manifestBytes(),
                image.mediaType().value());

        assertEquals(201, again.statusCode(), new String(again.body()));
    }

    @Test
    void deletingACoveredTagOrItsManifestIsDenied() throws Exception {
        PushedImage image = registry.fixtures().pushImage("prod/kept", "v3", ImageSpec.layers(10).seed(4));

        assertDenied(send("DELETE", "/v2/prod/kept/manifests/v3", null, null), "prod/kept:v3", "cannot be deleted");
        assertDenied(send("DELETE", "/v2/prod/kept/manifests/" + image.manifest(), null, null),
                "prod/kept:v3", "policies.immutable[0]");
        assertEquals(image.manifest().toString(), digestOf("prod/kept", "v3"));
    }

    @Test
    void tagsAndRepositoriesNoRuleCoversStayMutable() throws Exception {
        registry.fixtures().pushImage("prod/loose", "latest", ImageSpec.layers(10).seed(5));
        PushedImage other = registry.fixtures().pushImage("prod/loose", "other", ImageSpec.layers(10).seed(6));
        registry.fixtures().pushImage("dev/app", "v1", ImageSpec.layers(10).seed(7));

        assertEquals(201, send("PUT", "/v2/prod/loose/manifests/latest", other.manifestBytes(),
                other.mediaType().value()).statusCode());
        assertEquals(202, send("DELETE", "/v2/prod/loose/manifests/latest", null, null).statusCode());
        assertEquals(202, send("DELETE", "/v2/dev/app/manifests/v1", null, null).statusCode());
    }

    private static void assertDenied(HttpResponse<byte[]> response, String... inMessage) throws IOException {
        assertEquals(403, response.statusCode(), new String(response.body()));
        JsonNode error = JSON.readTree(response.body()).path("errors").path(0);
        assertEquals("DENIED", error.path("code").asText());
        String message = error.path("message").asText();
        for (String part : inMessage) assertTrue(message.contains(part), message + " should contain " + part);
    }

    private static String digestOf(String repository, String tag) throws Exception {
        HttpResponse<byte[]> head = send("HEAD", "/v2/" + repository + "/manifests/" + tag, null, null);
        assertEquals(200, head.statusCode());
        return head.headers().firstValue("Docker-Content-Digest").orElseThrow();
    }

    private static HttpResponse<byte[]> send(String method, String path, byte[] body, String contentType)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(registry.url() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) request.header("Content-Type", contentType);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
