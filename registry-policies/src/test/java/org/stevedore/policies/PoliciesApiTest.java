package org.stevedore.policies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.stevedore.auth.Access;
import org.stevedore.auth.AccessController;
import org.stevedore.auth.Challenge;
import org.stevedore.auth.Decision;
import org.stevedore.registry.Registry;
import org.stevedore.registry.fixtures.ImageSpec;
import org.stevedore.registry.fixtures.PushedImage;

/**
 * The policies' API under /api/v1/: JSON, behind the registry's access controller (repository
 * permissions for usage and deletion, registry:admin:* for retention and forced deletion).
 */
class PoliciesApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Policies POLICIES = new Policies(
            List.of(new ImmutableRule("policies.immutable[0]", Glob.of("prod/**"), Glob.of("v*"))),
            new RetentionPolicy(Optional.empty(), false, List.of(new RetentionRule("policies.retention.rules[0]",
                    Glob.of("ci/**"), 0, List.of(Glob.of("main")), Optional.empty(), Optional.of(Duration.ofHours(1))))));
    private static final Clock LATER = Clock.fixed(Instant.now().plus(Duration.ofHours(2)), ZoneOffset.UTC);

    private Registry registry;

    @AfterEach
    void stop() {
        if (registry != null) registry.close();
    }

    @Test
    void usageRetentionPreviewAndRunAndRepositoryDeletion() throws Exception {
        registry = Registry.builder().manifestGuard(POLICIES.immutableTags())
                .api(service -> new PoliciesApi(service, POLICIES, LATER)).start();
        PushedImage main = registry.fixtures().pushImage("ci/app", "main", ImageSpec.layers(100).seed(1));
        PushedImage feature = registry.fixtures().pushImage("ci/app", "feature", ImageSpec.layers(100).seed(2));
        registry.fixtures().pushImage("prod/app", "v1", ImageSpec.layers(100).seed(3));

        JsonNode all = json(send("GET", "/api/v1/usage", null), 200);
        assertEquals(List.of("ci/app", "prod/app"), List.of(all.at("/repositories/0/name").asText(),
                all.at("/repositories/1/name").asText()));
        assertEquals(2, json(send("GET", "/api/v1/repositories/ci/app/usage", null), 200).path("manifests").asInt());

        JsonNode preview = json(send("GET", "/api/v1/retention", null), 200);
        assertTrue(preview.path("dryRun").asBoolean());
        assertEquals("feature", preview.at("/repositories/0/tags/0/tag").asText());
        assertEquals("delete", preview.at("/repositories/0/tags/0/action").asText());
        assertEquals(feature.manifest().toString(), preview.at("/repositories/0/manifests/0/digest").asText());

        JsonNode run = json(send("POST", "/api/v1/retention", null), 200);
        assertEquals(1, run.at("/outcome/tagsDeleted").asInt());
        assertEquals(1, run.at("/outcome/manifestsDeleted").asInt());
        assertEquals(List.of("main"), registry.contents().tags("ci/app"));
        assertEquals(List.of(main.manifest()), registry.contents().manifests("ci/app"));

        JsonNode refused = json(send("DELETE", "/api/v1/repositories/prod/app", null), 403);
        assertTrue(refused.at("/errors/0/message").asText().contains("v1 (policies.immutable[0])"), refused.toString());
        assertEquals(1, json(send("DELETE", "/api/v1/repositories/prod/app?force=true", null), 200)
                .path("tagsDeleted").asInt());
        assertEquals("NAME_UNKNOWN", json(send("GET", "/api/v1/repositories/prod/app/usage", null), 404)
                .at("/errors/0/code").asText());
        assertTrue(registry.storage().statFile(org.stevedore.storage.layout.StorageLayout.catalogEntry(
                org.stevedore.model.RepositoryName.of("prod/app"))).isEmpty(), "the catalog index forgot it");
        assertTrue(!registry.contents().repositories().contains("prod/app"), registry.contents().repositories().toString());
        var unknown = send("GET", "/api/v1/nothing", null); // as for any path that is no route: no error JSON
        assertEquals(404, unknown.statusCode());
        assertEquals("404 page not found\n", new String(unknown.body(), java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(405, send("PUT", "/api/v1/retention", null).statusCode());
    }

    @Test
    void theAccessControllerDecidesAndAdminIsItsOwnPermission() throws Exception {
        registry = Registry.builder().accessController(new RepositoriesOnly())
                .api(service -> new PoliciesApi(service, POLICIES, LATER)).start();
        registry.fixtures().pushImage("ci/app", "main", ImageSpec.layers(100).seed(1));

        HttpResponse<byte[]> anonymous = HTTP.send(HttpRequest.newBuilder(URI.create(registry.url() + "/api/v1/usage"))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(401, anonymous.statusCode());
        assertTrue(anonymous.headers().firstValue("WWW-Authenticate").isPresent());
        assertEquals(200, send("GET", "/api/v1/repositories/ci/app/usage", "alice").statusCode());
        assertEquals("DENIED", json(send("POST", "/api/v1/retention", "alice"), 403).at("/errors/0/code").asText());
        assertEquals(403, send("DELETE", "/api/v1/repositories/ci/app?force=true", "alice").statusCode());
        assertEquals(200, send("POST", "/api/v1/retention", "root").statusCode());
        assertEquals(200, send("DELETE", "/api/v1/repositories/ci/app", "alice").statusCode());
    }

    /** Basic users alice and root: both may do anything to repositories, only root is admin. */
    private static final class RepositoriesOnly implements AccessController {
        @Override
        public Decision authorize(org.stevedore.auth.Credentials credentials, List<Access> needed) {
            Optional<String> user = credentials.authorization().map(h -> new String(Base64.getDecoder()
                    .decode(h.substring("Basic ".length())), StandardCharsets.UTF_8).split(":")[0]);
            if (user.isEmpty()) {
                return new Decision.Unauthenticated(new Challenge("Basic", Map.of("realm", "test")), "who are you?");
            }
            boolean allowed = needed.stream().allMatch(a -> a.type().equals(Access.REPOSITORY)
                    || user.get().equals("root"));
            return allowed ? new Decision.Allowed(user) : new Decision.Denied(user.get(), "not for " + user.get());
        }
    }

    private HttpResponse<byte[]> send(String method, String path, String user) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(registry.url() + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (user != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":pw")
                    .getBytes(StandardCharsets.UTF_8)));
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static JsonNode json(HttpResponse<byte[]> response, int status) throws Exception {
        assertEquals(status, response.statusCode(), new String(response.body(), StandardCharsets.UTF_8));
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
        return JSON.readTree(response.body());
    }
}
