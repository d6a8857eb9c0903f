package org.stevedore.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.StringWriter;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
 * {@code auth.token.builtin.signingkey}: the built-in token server's key kept in a file (made
 * with owner-only permissions when absent), so a token issued before a restart is accepted after
 * it; without the key file a restart makes a new key and the old token is refused.
 */
class TokenSigningKeyTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REALM = "http://127.0.0.1:5000/auth/token";

    @TempDir
    Path temp;

    @RegisterExtension
    final InProcessServe launcher = new InProcessServe();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private Map<String, String> environment(String signingKey) throws Exception {
        Path htpasswd = temp.resolve("htpasswd");
        if (!Files.exists(htpasswd)) Files.writeString(htpasswd, "admin:" + BCrypt.hashpw("admin-pw", BCrypt.gensalt(4)) + "\n");
        Map<String, String> env = new HashMap<>(Map.of("REGISTRY_STORAGE", "inmemory", "REGISTRY_HTTP_ADDR", "127.0.0.1:0",
                "REGISTRY_AUTH", "token", "REGISTRY_AUTH_TOKEN_REALM", REALM,
                "REGISTRY_AUTH_TOKEN_SERVICE", "stevedore.test", "REGISTRY_AUTH_TOKEN_ISSUER", "stevedore",
                "REGISTRY_AUTH_TOKEN_BUILTIN_HTPASSWD", htpasswd.toString()));
        if (signingKey != null) env.put("REGISTRY_AUTH_TOKEN_BUILTIN_SIGNINGKEY", signingKey);
        return env;
    }

    private Registry start(Map<String, String> env) {
        return launcher.startWithoutWarnings(env);
    }

    private String token(Registry registry) throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(registry.url().resolve(
                "/auth/token?service=stevedore.test&scope=repository:team/app:pull,push"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        "admin:admin-pw".getBytes(StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), answer.body());
        return JSON.readTree(answer.body()).path("token").asText();
    }

    private int push(Registry registry, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(registry.url().resolve("/v2/team/app/blobs/uploads/"))
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void aTokenIssuedBeforeARestartIsAcceptedAfterIt() throws Exception {
        Path key = temp.resolve("keys/signing.pem");
        Map<String, String> env = environment(key.toString());
        Registry first = start(env);
        assertTrue(Files.isRegularFile(key), "made at the first start");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        String pem = Files.readString(key);
        String token = token(first);
        assertEquals(202, push(first, token));
        first.close();

        Registry second = start(env);
        assertEquals(202, push(second, token), "the old token after the restart");
        assertEquals(pem, Files.readString(key), "the key file is kept as it is");
        second.close();

        Registry withoutFile = start(environment(null));
        assertEquals(401, push(withoutFile, token), "a new key each start: the old token is refused");
        assertEquals(202, push(withoutFile, token(withoutFile)));
    }

    @Test
    void anUnusableKeyFileStopsTheStartNamingIt() throws Exception {
        Path key = Files.writeString(temp.resolve("broken.pem"), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        StringWriter err = new StringWriter();
        assertNotEquals(0, launcher.execute(environment(key.toString()), err));
        assertTrue(err.toString().contains(key.toString()), err.toString());
        assertTrue(launcher.startedNothing());
    }
}
