package org.stevedore.launcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stevedore.auth.token.JwsAlgorithm;
import org.stevedore.registry.Registry;
import picocli.CommandLine;

/**
 * distribution 3's {@code auth.token.signingalgorithms} served by the real launcher: one RSA key
 * of a JWK Set signs both RS256 and PS256 tokens, so the only difference between an accepted and
 * a refused token is its {@code alg}; the list comes from config.yml or from
 * {@code REGISTRY_AUTH_TOKEN_SIGNINGALGORITHMS}, and a name Stevedore cannot verify stops the start.
 */
class SigningAlgorithmsTokenAuthTest {
    private static final String REALM = "https://auth.example.test/token";
    private static final String SERVICE = "registry.test";
    private static final String ISSUER = "test-token-server";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static KeyPair rsa;

    @TempDir
    Path temp;

    private final List<Registry> started = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void keys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        rsa = generator.generateKeyPair();
    }

    @AfterEach
    void stop() {
        started.forEach(Registry::close);
    }

    @Test
    void aTokenSignedWithAnAllowedAlgPushesAndPulls() throws Exception {
        Registry registry = serve(config("    signingalgorithms:\n      - PS256\n      - ES256\n"), Map.of());
        String token = token(JwsAlgorithm.PS256, "pull", "push");
        byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
        byte[] layer = "layer bytes".getBytes(StandardCharsets.UTF_8);
        for (byte[] blob : List.of(config, layer)) {
            HttpResponse<String> upload = send("POST", registry.url().resolve("/v2/team/app/blobs/uploads/?digest="
                    + digest(blob)), token, blob, null);
            assertEquals(201, upload.statusCode(), upload.body());
        }
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + digest(config)
                + "\",\"size\":2},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\","
                + "\"digest\":\"" + digest(layer) + "\",\"size\":" + layer.length + "}]}").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> pushed = send("PUT", registry.url().resolve("/v2/team/app/manifests/1"), token, manifest,
                "application/vnd.oci.image.manifest.v1+json");
        assertEquals(201, pushed.statusCode(), pushed.body());
        HttpResponse<byte[]> pulled = http.send(HttpRequest.newBuilder(registry.url().resolve("/v2/team/app/manifests/1"))
                .header("Authorization", "Bearer " + token(JwsAlgorithm.PS256, "pull"))
                .header("Accept", "application/vnd.oci.image.manifest.v1+json").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, pulled.statusCode());
        assertArrayEquals(manifest, pulled.body());
    }

    @Test
    void aTokenSignedWithAnotherAlgGets401WithTheOciErrorAndChallenge() throws Exception {
        Registry registry = serve(config("    signingalgorithms: [PS256]\n"), Map.of());
        URI tags = registry.url().resolve("/v2/team/app/tags/list");
        assertEquals(404, send("GET", tags, token(JwsAlgorithm.PS256, "pull"), null, null).statusCode(),
                "PS256 is allowed; the repository is just empty");
        assertRefused(send("GET", tags, token(JwsAlgorithm.RS256, "pull"), null, null), "RS256, same key");
    }

    @Test
    void withoutTheKeyEveryAlgorithmTheKeyFitsIsAccepted() throws Exception {
        Registry registry = serve(config(""), Map.of());
        URI tags = registry.url().resolve("/v2/team/app/tags/list");
        for (JwsAlgorithm alg : List.of(JwsAlgorithm.RS256, JwsAlgorithm.RS512, JwsAlgorithm.PS256, JwsAlgorithm.PS384)) {
            assertEquals(404, send("GET", tags, token(alg, "pull"), null, null).statusCode(), alg.name());
        }
    }

    @Test
    void theListMayComeFromRegistryAuthTokenSigningalgorithms() throws Exception {
        Path config = config("    signingalgorithms: [PS256]\n");
        Registry registry = serve(config, Map.of("REGISTRY_AUTH_TOKEN_SIGNINGALGORITHMS", "[RS512, RS256]"));
        URI tags = registry.url().resolve("/v2/team/app/tags/list");
        assertEquals(404, send("GET", tags, token(JwsAlgorithm.RS256, "pull"), null, null).statusCode());
        assertEquals(404, send("GET", tags, token(JwsAlgorithm.RS512, "pull"), null, null).statusCode());
        assertRefused(send("GET", tags, token(JwsAlgorithm.PS256, "pull"), null, null), "the variable replaces the file's list");
    }

    @Test
    void aNameStevedoreCannotVerifyStopsTheStartNamingTheKeyAndTheValue() throws Exception {
        StringWriter err = new StringWriter();
        assertEquals(CommandLine.ExitCode.SOFTWARE, execute(config("    signingalgorithms: [RS256, HS256]\n"),
                Map.of(), err));
        assertTrue(err.toString().contains("auth.token.signingalgorithms: 'HS256' is an HMAC algorithm, which"
                + " Stevedore does not verify"), err.toString());

        err = new StringWriter();
        assertEquals(CommandLine.ExitCode.SOFTWARE, execute(config(""),
                Map.of("REGISTRY_AUTH_TOKEN_SIGNINGALGORITHMS", "[RS265]"), err));
        assertTrue(err.toString().contains("auth.token.signingalgorithms (from REGISTRY_AUTH_TOKEN_SIGNINGALGORITHMS):"
                + " 'RS265' is not a signing algorithm Stevedore verifies"), err.toString());
        assertTrue(started.isEmpty());
    }

    private void assertRefused(HttpResponse<String> response, String why) throws Exception {
        assertEquals(401, response.statusCode(), why);
        JsonNode error = JSON.readTree(response.body()).path("errors").path(0);
        assertEquals("UNAUTHORIZED", error.path("code").asText(), response.body());
        assertEquals("Bearer realm=\"" + REALM + "\",service=\"" + SERVICE + "\",scope=\"repository:team/app:pull\","
                + "error=\"invalid_token\"", response.headers().firstValue("WWW-Authenticate").orElse(""), why);
    }

    /** config.yml with token auth trusting {@link #rsa} by kid "rsa-1" (a JWK without alg), plus {@code extra}. */
    private Path config(String extra) throws Exception {
        RSAPublicKey key = (RSAPublicKey) rsa.getPublic();
        ObjectNode set = JSON.createObjectNode();
        set.withArray("keys").addObject().put("kty", "RSA").put("kid", "rsa-1")
                .put("n", b64(unsigned(key.getModulus()))).put("e", b64(unsigned(key.getPublicExponent())));
        Path jwks = Files.writeString(temp.resolve("jwks.json"), set.toString());
        return Files.writeString(temp.resolve("config.yml"), "version: 0.1\nstorage:\n  inmemory: {}\nhttp:\n"
                + "  addr: 127.0.0.1:0\nauth:\n  token:\n    realm: " + REALM + "\n    service: " + SERVICE + "\n"
                + "    issuer: " + ISSUER + "\n    jwks: " + jwks + "\n" + extra);
    }

    private Registry serve(Path config, Map<String, String> env) {
        StringWriter err = new StringWriter();
        assertEquals(0, execute(config, env, err), err.toString());
        assertTrue(err.toString().isEmpty(), "no warnings: " + err);
        return started.get(0);
    }

    private int execute(Path config, Map<String, String> env, StringWriter err) {
        RegistryServer server = new RegistryServer(new ConfiguredAuth(), S3StorageFactory.UNAVAILABLE);
        CommandLine commandLine = Main.commandLine((options, printer) -> {
            started.add(server.start(options, printer).registry());
            return 0;
        }, env);
        commandLine.setOut(new PrintWriter(new StringWriter(), true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute("serve", config.toString());
    }

    private HttpResponse<String> send(String method, URI uri, String token, byte[] body, String contentType)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) request.header("Content-Type", contentType);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A token for team/app signed by {@link #rsa} with {@code alg}, naming it by kid. */
    private static String token(JwsAlgorithm alg, String... actions) throws Exception {
        long now = Instant.now().getEpochSecond();
        ObjectNode header = JSON.createObjectNode().put("typ", "JWT").put("alg", alg.name()).put("kid", "rsa-1");
        ObjectNode claims = JSON.createObjectNode().put("iss", ISSUER).put("sub", "alice").put("aud", SERVICE)
                .put("exp", now + 300).put("nbf", now - 5).put("iat", now);
        ObjectNode access = claims.putArray("access").addObject().put("type", "repository").put("name", "team/app");
        for (String action : actions) access.withArray("actions").add(action);
        String input = b64(JSON.writeValueAsBytes(header)) + "." + b64(JSON.writeValueAsBytes(claims));
        return input + "." + b64(alg.sign(rsa.getPrivate(), input.getBytes(StandardCharsets.US_ASCII)));
    }

    private static byte[] unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        return bytes.length > 1 && bytes[0] == 0 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }

    private static String digest(byte[] bytes) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
