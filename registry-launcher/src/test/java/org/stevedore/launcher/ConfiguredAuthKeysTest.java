package org.stevedore.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mindrot.jbcrypt.BCrypt;
import org.stevedore.registry.Registry;

/**
 * Stevedore's auth keys set only through {@code REGISTRY_*} variables, served by the real wiring:
 * {@code auth.htpasswd.accessrules} and the built-in token server ({@code auth.token.builtin}).
 */
class ConfiguredAuthKeysTest {
    private static final String RULES = "rules:\n  - repositories: [\"**\"]\n    users: [admin]\n    actions: [\"*\"]\n"
            + "  - repositories: [\"team/*\"]\n    users: [reader]\n    actions: [pull]\n"
            + "admins:\n  users: [admin]\n";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    @RegisterExtension
    final InProcessServe launcher = new InProcessServe();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private Registry serve(Map<String, String> env) throws Exception {
        Path htpasswd = Files.writeString(temp.resolve("htpasswd"), "admin:" + BCrypt.hashpw("admin-pw", BCrypt.gensalt(4))
                + "\nreader:" + BCrypt.hashpw("reader-pw", BCrypt.gensalt(4)) + "\n");
        Path rules = Files.writeString(temp.resolve("rules.yml"), RULES);
        Map<String, String> all = new HashMap<>();
        env.forEach((name, value) -> all.put(name, value.replace("HTPASSWD", htpasswd.toString())
                .replace("RULES", rules.toString())));
        all.put("REGISTRY_STORAGE", "inmemory");
        return launcher.start(all);
    }

    private HttpResponse<String> send(String method, URI uri, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(10));
        if (authorization != null) request.header("Authorization", authorization);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void accessRulesFromTheEnvironmentRefuseAReaderPush() throws Exception {
        Registry registry = serve(Map.of("REGISTRY_HTTP_ADDR", "127.0.0.1:0", "REGISTRY_AUTH", "htpasswd",
                "REGISTRY_AUTH_HTPASSWD_REALM", "Registry Realm", "REGISTRY_AUTH_HTPASSWD_PATH", "HTPASSWD",
                "REGISTRY_AUTH_HTPASSWD_ACCESSRULES", "RULES"));
        URI upload = registry.url().resolve("/v2/team/app/blobs/uploads/");
        HttpResponse<String> refused = send("POST", upload, basic("reader", "reader-pw"));
        assertEquals(403, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("\"DENIED\""), refused.body());
        assertEquals(404, send("GET", registry.url().resolve("/v2/team/app/tags/list"), basic("reader", "reader-pw"))
                .statusCode(), "reader may pull: the repository is just empty");
        assertEquals(202, send("POST", upload, basic("admin", "admin-pw")).statusCode());
    }

    @Test
    void theAccessRulesAdminsGetTheAdminApiAndNobodyElseDoes() throws Exception {
        Registry registry = serve(Map.of("REGISTRY_HTTP_ADDR", "127.0.0.1:0", "REGISTRY_AUTH", "htpasswd",
                "REGISTRY_AUTH_HTPASSWD_REALM", "Registry Realm", "REGISTRY_AUTH_HTPASSWD_PATH", "HTPASSWD",
                "REGISTRY_AUTH_HTPASSWD_ACCESSRULES", "RULES"));
        URI usage = registry.url().resolve("/api/v1/usage");
        HttpResponse<String> admin = send("GET", usage, basic("admin", "admin-pw"));
        assertEquals(200, admin.statusCode(), admin.body());
        assertTrue(JSON.readTree(admin.body()).path("repositories").isArray(), admin.body());
        HttpResponse<String> reader = send("GET", usage, basic("reader", "reader-pw"));
        assertEquals(403, reader.statusCode(), reader.body());
        assertTrue(reader.body().contains("\"DENIED\""), reader.body());
        // Past the admin check, retention answers that none is configured; the reader never gets that far.
        HttpResponse<String> retention = send("GET", registry.url().resolve("/api/v1/retention"), basic("admin", "admin-pw"));
        assertTrue(retention.body().contains("no retention rules are configured"), retention.body());
        assertEquals(403, send("GET", registry.url().resolve("/api/v1/retention"), basic("reader", "reader-pw")).statusCode());
        assertEquals(401, send("GET", usage, null).statusCode());
    }

    @Test
    void builtInTokenServerFromTheEnvironmentIssuesTokensTheRegistryAccepts() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort(); // the realm names the registry's own address
        }
        String realm = "http://127.0.0.1:" + port + "/auth/token";
        Registry registry = serve(Map.of("REGISTRY_HTTP_ADDR", "127.0.0.1:" + port, "REGISTRY_AUTH", "token",
                "REGISTRY_AUTH_TOKEN_REALM", realm, "REGISTRY_AUTH_TOKEN_SERVICE", "stevedore.test",
                "REGISTRY_AUTH_TOKEN_ISSUER", "stevedore", "REGISTRY_AUTH_TOKEN_ACCESSRULES", "RULES",
                "REGISTRY_AUTH_TOKEN_BUILTIN_HTPASSWD", "HTPASSWD", "REGISTRY_AUTH_TOKEN_BUILTIN_EXPIRATION", "90s"));
        URI upload = registry.url().resolve("/v2/team/app/blobs/uploads/");
        HttpResponse<String> challenge = send("POST", upload, null);
        assertEquals(401, challenge.statusCode());
        assertEquals("Bearer realm=\"" + realm + "\",service=\"stevedore.test\",scope=\"repository:team/app:pull,push\"",
                challenge.headers().firstValue("WWW-Authenticate").orElse(""));

        URI tokenUri = URI.create(realm + "?service=stevedore.test&scope=repository:team/app:pull,push");
        HttpResponse<String> adminToken = send("GET", tokenUri, basic("admin", "admin-pw"));
        assertEquals(200, adminToken.statusCode(), adminToken.body());
        assertEquals(90, JSON.readTree(adminToken.body()).path("expires_in").asInt(), "builtin.expiration");
        String admin = "Bearer " + JSON.readTree(adminToken.body()).path("token").asText();
        assertEquals(202, send("POST", upload, admin).statusCode());

        String reader = "Bearer " + JSON.readTree(send("GET", tokenUri, basic("reader", "reader-pw")).body())
                .path("token").asText();
        HttpResponse<String> readerPush = send("POST", upload, reader);
        assertEquals(401, readerPush.statusCode(), "the rules granted the reader pull only");
        assertTrue(readerPush.headers().firstValue("WWW-Authenticate").orElse("").contains("error=\"insufficient_scope\""));
        assertEquals(401, send("GET", tokenUri, basic("reader", "wrong")).statusCode());
    }
}
