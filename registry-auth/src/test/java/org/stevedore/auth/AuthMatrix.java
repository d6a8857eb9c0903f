package org.stevedore.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The route half of the auth matrix: every route of the API, what it needs (distribution's
 * scope), what it answers when allowed, and how to set up the content it acts on (as an admin),
 * so that each cell is a fresh, meaningful request. Also the checks of each kind of refusal.
 */
final class AuthMatrix {

    /**
     * The matrix's users (admin, reader, writer; password "NAME-pw") and their rules: admin may do
     * anything, reader pull and writer pull and push on {@code team/*}.
     */
    static final String[] USERS = {"admin", "admin-pw", "reader", "reader-pw", "writer", "writer-pw"};
    static final String RULES = String.join("\n",
            "rules:",
            "  - repositories: [\"**\"]",
            "    users: [admin]",
            "    actions: [\"*\"]",
            "  - repositories: [\"team/*\"]",
            "    users: [reader]",
            "    actions: [pull]",
            "  - repositories: [\"team/*\"]",
            "    users: [writer]",
            "    actions: [pull, push]",
            "");
    static final String REPOSITORY = "team/app";
    static final String SOURCE = "team/base";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";

    /** What a route needs, coarsely: which principals reach it follows from this. */
    enum Need { BASE, CATALOG, PULL, PUSH, DELETE }

    /** A request ready to send. */
    record Request(String method, String path, byte[] body, String contentType) {
    }

    /**
     * One route: its name, what it needs, the scope a token challenge names for it, the status
     * it answers when allowed, and how to make its request (after setting up content as admin).
     */
    record Route(String name, Need need, String scope, int success, Function<Fixture, Request> prepare) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final String PULL = "repository:" + REPOSITORY + ":pull";
    private static final String PUSH = "repository:" + REPOSITORY + ":pull,push";

    static final List<Route> ROUTES = List.of(
            new Route("base GET /v2/", Need.BASE, "", 200, f -> get("/v2/")),
            new Route("catalog", Need.CATALOG, "registry:catalog:*", 200, f -> get("/v2/_catalog")),
            new Route("tags list", Need.PULL, PULL, 200, f -> get(f.image().path("tags/list"))),
            new Route("manifest GET", Need.PULL, PULL, 200, f -> get(f.image().path("manifests/v1"))),
            new Route("manifest HEAD", Need.PULL, PULL, 200, f -> new Request("HEAD", f.image().path("manifests/v1"), null, null)),
            new Route("manifest PUT", Need.PUSH, PUSH, 201, f -> new Request("PUT", f.image().path("manifests/v2"),
                    f.image().manifest(), MANIFEST_TYPE)),
            new Route("manifest DELETE", Need.DELETE, "repository:" + REPOSITORY + ":delete", 202,
                    f -> new Request("DELETE", path("manifests/" + f.uniqueImage().digest()), null, null)),
            new Route("blob GET", Need.PULL, PULL, 200, f -> get(f.image().path("blobs/" + f.image().layer()))),
            new Route("blob HEAD", Need.PULL, PULL, 200, f -> new Request("HEAD", f.image().path("blobs/" + f.image().layer()),
                    null, null)),
            new Route("blob DELETE", Need.DELETE, "repository:" + REPOSITORY + ":delete", 202,
                    f -> new Request("DELETE", path("blobs/" + f.uniqueBlob(REPOSITORY)), null, null)),
            new Route("upload POST", Need.PUSH, PUSH, 202, f -> new Request("POST", path("blobs/uploads/"), null, null)),
            new Route("upload PATCH", Need.PUSH, PUSH, 202, f -> new Request("PATCH", f.session(), bytes("chunk"),
                    "application/octet-stream")),
            new Route("upload PUT", Need.PUSH, PUSH, 201, f -> {
                byte[] content = bytes("whole " + f.next());
                return new Request("PUT", f.session() + "?digest=" + AuthHttp.sha256(content), content,
                        "application/octet-stream");
            }),
            new Route("upload GET", Need.PUSH, PUSH, 204, f -> get(f.session())),
            // Cancelling an upload deletes no content: push, as every upload step (distribution too).
            new Route("upload DELETE", Need.PUSH, PUSH, 204, f -> new Request("DELETE", f.session(), null, null)),
            new Route("mount", Need.PUSH, PUSH + " repository:" + SOURCE + ":pull", 201,
                    f -> new Request("POST", path("blobs/uploads/?mount=" + f.uniqueBlob(SOURCE) + "&from=" + SOURCE),
                            null, null)),
            new Route("referrers", Need.PULL, PULL, 200, f -> get(f.image().path("referrers/" + f.image().digest()))));

    static Stream<Route> routes() {
        return ROUTES.stream();
    }

    private static Request get(String path) {
        return new Request("GET", path, null, null);
    }

    private static String path(String rest) {
        return "/v2/" + REPOSITORY + "/" + rest;
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** An image in {@link #REPOSITORY}: config, one layer, manifest (tag v1). */
    record Image(String digest, String layer, byte[] manifest) {
        String path(String rest) {
            return AuthMatrix.path(rest);
        }
    }

    /** Sets up content through the API with an admin's Authorization header. */
    static final class Fixture {
        private final Client client;
        private final Function<String, String> admin;
        private final AtomicInteger counter = new AtomicInteger();

        /** {@code admin} gives the admin's Authorization header for a scope (tokens differ per scope). */
        Fixture(Client client, Function<String, String> admin) {
            this.client = client;
            this.admin = admin;
        }

        int next() {
            return counter.incrementAndGet();
        }

        String uniqueBlob(String repository) {
            byte[] content = bytes("blob " + next() + " of " + repository);
            String digest = AuthHttp.sha256(content);
            HttpResponse<String> response = client.send(new Request("POST", "/v2/" + repository
                    + "/blobs/uploads/?digest=" + digest, content, "application/octet-stream"),
                    admin.apply("repository:" + repository + ":pull,push"));
            assertEquals(201, response.statusCode(), "setup: " + response.body());
            return digest;
        }

        /** The image tagged v1, pushed again: an earlier cell may have deleted it. */
        Image image() {
            return push("v1", "fixed");
        }

        /** An image of its own, for a cell that deletes it. */
        Image uniqueImage() {
            return push("u" + next(), "unique " + counter.get());
        }

        private Image push(String tag, String note) {
            String config = pushBlob(bytes("{}"));
            byte[] layerBytes = bytes("layer " + note);
            String layer = pushBlob(layerBytes);
            String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + MANIFEST_TYPE + "\","
                    + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + config
                    + "\",\"size\":2},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\","
                    + "\"digest\":\"" + layer + "\",\"size\":" + layerBytes.length + "}]}";
            byte[] manifestBytes = bytes(manifest);
            HttpResponse<String> response = client.send(new Request("PUT", path("manifests/" + tag), manifestBytes,
                    MANIFEST_TYPE), admin.apply(PUSH));
            assertEquals(201, response.statusCode(), "setup: " + response.body());
            return new Image(AuthHttp.sha256(manifestBytes), layer, manifestBytes);
        }

        private String pushBlob(byte[] content) {
            String digest = AuthHttp.sha256(content);
            HttpResponse<String> response = client.send(new Request("POST", path("blobs/uploads/?digest=" + digest),
                    content, "application/octet-stream"), admin.apply(PUSH));
            assertEquals(201, response.statusCode(), "setup: " + response.body());
            return digest;
        }

        /** The path of a new upload session in {@link #REPOSITORY}. */
        String session() {
            HttpResponse<String> response = client.send(new Request("POST", path("blobs/uploads/"), null, null),
                    admin.apply(PUSH));
            assertEquals(202, response.statusCode(), "setup: " + response.body());
            return response.headers().firstValue("Location").orElseThrow();
        }
    }

    /** Sends {@link Request}s to one registry. */
    static final class Client {
        private final URI base;
        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();

        Client(URI base) {
            this.base = base;
        }

        HttpResponse<String> send(Request request, String authorization) {
            return send(base.resolve(request.path()), request, authorization);
        }

        HttpResponse<String> send(URI uri, Request request, String authorization) {
            HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                    .method(request.method(), request.body() == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(request.body()));
            if (request.contentType() != null) builder.header("Content-Type", request.contentType());
            if (authorization != null) builder.header("Authorization", authorization);
            try {
                return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** 401 with exactly {@code challenge} and, unless HEAD, the UNAUTHORIZED error JSON. */
    static void assertUnauthorized(HttpResponse<String> response, String challenge, String cell) {
        assertEquals(401, response.statusCode(), cell + ": " + response.body());
        assertEquals(challenge, response.headers().firstValue("WWW-Authenticate").orElse(""), cell);
        if (!response.request().method().equals("HEAD")) assertErrorCode(response, "UNAUTHORIZED", cell);
    }

    /** 403 with, unless HEAD, the DENIED error JSON, and no challenge (credentials are not the problem). */
    static void assertDenied(HttpResponse<String> response, String cell) {
        assertEquals(403, response.statusCode(), cell + ": " + response.body());
        assertTrue(response.headers().firstValue("WWW-Authenticate").isEmpty(), cell);
        if (!response.request().method().equals("HEAD")) assertErrorCode(response, "DENIED", cell);
    }

    static void assertSuccess(HttpResponse<String> response, Route route, String cell) {
        assertEquals(route.success(), response.statusCode(), cell + ": " + response.body());
    }

    private static void assertErrorCode(HttpResponse<String> response, String code, String cell) {
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse("")
                .split(";")[0].strip(), cell);
        try {
            JsonNode error = JSON.readTree(response.body()).path("errors").path(0);
            assertEquals(code, error.path("code").asText(), cell + ": " + response.body());
            assertTrue(!error.path("message").asText().isEmpty(), cell + ": " + response.body());
        } catch (IOException e) {
            throw new AssertionError(cell + ": not JSON: " + response.body(), e);
        }
    }
}
