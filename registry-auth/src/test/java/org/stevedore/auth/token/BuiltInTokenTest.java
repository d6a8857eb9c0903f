package org.stevedore.auth.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stevedore.auth.AuthConfigurations;
import org.stevedore.auth.htpasswd.Bcrypt;
import org.stevedore.registry.Registry;

/**
 * The built-in token server, driven the way docker and podman drive one: request, read the
 * Bearer challenge, fetch a token from its realm with Basic credentials, retry with the token.
 */
class BuiltInTokenTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final Pattern PARAMETER = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    @TempDir
    static Path temp;
    private static Registry registry;

    @BeforeAll
    static void start() throws Exception {
        Path htpasswd = Files.writeString(temp.resolve("htpasswd"),
                "admin:" + Bcrypt.hash("admin-pw", 4) + "\nrita:" + Bcrypt.hash("rita-pw", 4) + "\n");
        Path rules = Files.writeString(temp.resolve("rules.yml"), String.join("\n",
                "rules:",
                "  - repositories: [\"**\"]",
                "    users: [admin]",
                "    actions: [\"*\"]",
                "  - repositories: [\"team/*\"]",
                "    users: [rita]",
                "    actions: [pull]",
                "  - repositories: [\"public/*\"]",
                "    anonymous: true",
                "    actions: [pull]", ""));
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort(); // the realm must name the registry's own port
        }
        AuthConfigurations.BuiltInTokenServer tokens = AuthConfigurations.builtInToken(
                URI.create("http://127.0.0.1:" + port + "/auth/token"), "stevedore.test", "stevedore",
                htpasswd, Optional.of(rules));
        registry = Registry.builder().port(port).accessController(tokens.controller())
                .extraRoute(tokens.path(), tokens.endpoint()).start();
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    private static HttpResponse<String> send(String method, String path, String authorization, byte[] body)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(registry.url().resolve(path)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (authorization != null) request.header("Authorization", authorization);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, String> challenge(HttpResponse<String> response) {
        String header = response.headers().firstValue("WWW-Authenticate").orElseThrow();
        assertTrue(header.startsWith("Bearer "), header);
        Map<String, String> parameters = new LinkedHashMap<>();
        Matcher matcher = PARAMETER.matcher(header);
        while (matcher.find()) parameters.put(matcher.group(1), matcher.group(2));
        return parameters;
    }

    /** Fetches a token as docker does: GET realm?service=…&scope=… with Basic credentials. */
    private static JsonNode fetchToken(Map<String, String> challenge, String user, String password) throws Exception {
        HttpResponse<String> response = tokenResponse(challenge, user, password);
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("no-store", response.headers().firstValue("Cache-Control").orElse(""));
        return JSON.readTree(response.body());
    }

    private static HttpResponse<String> tokenResponse(Map<String, String> challenge, String user, String password)
            throws Exception {
        String query = "?service=" + URLEncoder.encode(challenge.get("service"), StandardCharsets.UTF_8)
                + (challenge.containsKey("scope") ? "&scope=" + URLEncoder.encode(challenge.get("scope"), StandardCharsets.UTF_8) : "");
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(challenge.get("realm") + query));
        if (user != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode claimsOf(String token) throws Exception {
        return JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
    }

    @Test
    void dockerStyleFlowPushesAndPullsWithTokens() throws Exception {
        byte[] blob = "layer bytes".getBytes(StandardCharsets.UTF_8);
        String digest = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(blob));
        String uploadPath = "/v2/team/app/blobs/uploads/?digest=" + digest;

        HttpResponse<String> first = send("POST", uploadPath, null, blob);
        assertEquals(401, first.statusCode());
        Map<String, String> challenge = challenge(first);
        assertEquals(registry.url() + "/auth/token", challenge.get("realm"));
        assertEquals("stevedore.test", challenge.get("service"));
        assertEquals("repository:team/app:pull,push", challenge.get("scope"));

        JsonNode body = fetchToken(challenge, "admin", "admin-pw");
        String token = body.path("token").asText();
        assertEquals(token, body.path("access_token").asText());
        assertEquals(300, body.path("expires_in").asLong());
        Instant issuedAt = Instant.parse(body.path("issued_at").asText());
        assertTrue(Math.abs(issuedAt.getEpochSecond() - Instant.now().getEpochSecond()) < 60);
        JsonNode claims = claimsOf(token);
        assertEquals("admin", claims.path("sub").asText());
        assertEquals("stevedore.test", claims.path("aud").asText());

        assertEquals(201, send("POST", uploadPath, "Bearer " + token, blob).statusCode());
        HttpResponse<String> pulled = send("GET", "/v2/team/app/blobs/" + digest, "Bearer " + token, null);
        assertEquals(200, pulled.statusCode());
        assertEquals("layer bytes", pulled.body());
    }

    /** Faults#expireTokensNow: a token valid a moment ago gets a 401, and a new one (even in the same second) works. */
    @Test
    void expiredByFaultTokensAre401AndANewTokenWorks() throws Exception {
        Map<String, String> challenge = challenge(send("GET", "/v2/team/app/tags/list", null, null));
        String token = fetchToken(challenge, "admin", "admin-pw").path("token").asText();
        assertEquals(404, send("GET", "/v2/team/app/tags/list", "Bearer " + token, null).statusCode());

        registry.faults().expireTokensNow();
        HttpResponse<String> expired = send("GET", "/v2/team/app/tags/list", "Bearer " + token, null);
        assertEquals(401, expired.statusCode());
        assertTrue(expired.headers().firstValue("WWW-Authenticate").orElse("").contains("error=\"invalid_token\""),
                expired.headers().map().toString());
        String fresh = fetchToken(challenge(expired), "admin", "admin-pw").path("token").asText();
        assertEquals(404, send("GET", "/v2/team/app/tags/list", "Bearer " + fresh, null).statusCode());
    }

    @Test
    void tokensGrantOnlyWhatTheRulesAllow() throws Exception {
        Map<String, String> challenge = challenge(send("POST", "/v2/team/app/blobs/uploads/", null, null));
        String token = fetchToken(challenge, "rita", "rita-pw").path("token").asText();
        JsonNode access = claimsOf(token).path("access");
        assertEquals(1, access.size());
        assertEquals("[\"pull\"]", access.get(0).path("actions").toString());
        // The pull-only token is too narrow for a push: the registry asks for more.
        HttpResponse<String> push = send("POST", "/v2/team/app/blobs/uploads/", "Bearer " + token, null);
        assertEquals(401, push.statusCode());
        assertEquals("insufficient_scope", challenge(push).get("error"));
        assertEquals(200, send("GET", "/v2/", "Bearer " + token, null).statusCode());
    }

    @Test
    void wrongPasswordAtTheTokenEndpointIs401() throws Exception {
        Map<String, String> challenge = challenge(send("GET", "/v2/", null, null));
        HttpResponse<String> response = tokenResponse(challenge, "admin", "wrong");
        assertEquals(401, response.statusCode());
        assertTrue(response.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic realm="));
        assertEquals(401, tokenResponse(challenge, "nobody", "x").statusCode());
    }

    @Test
    void anonymousTokensGrantAnonymousPullOnly() throws Exception {
        Map<String, String> publicPull = challenge(send("GET", "/v2/public/base/tags/list", "Bearer nonsense", null));
        assertEquals("invalid_token", publicPull.get("error"));
        String token = fetchToken(publicPull, null, null).path("token").asText();
        assertTrue(claimsOf(token).path("sub").asText().isEmpty());
        assertEquals(404, send("GET", "/v2/public/base/tags/list", "Bearer " + token, null).statusCode());
        Map<String, String> teamPull = challenge(send("GET", "/v2/team/app/tags/list", null, null));
        String none = fetchToken(teamPull, null, null).path("token").asText();
        assertEquals(0, claimsOf(none).path("access").size());
        assertEquals(401, send("GET", "/v2/team/app/tags/list", "Bearer " + none, null).statusCode());
    }

    @Test
    void theEndpointServesOnlyItsOwnServiceAndGet() throws Exception {
        HttpResponse<String> wrongService = HTTP.send(HttpRequest.newBuilder(
                registry.url().resolve("/auth/token?service=other")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, wrongService.statusCode());
        assertEquals(405, send("POST", "/auth/token", null, new byte[0]).statusCode());
    }
}
