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
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
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
 * distribution's {@code auth.token.jwks} served by the real launcher: tokens signed by a key of
 * the JSON Web Key Set (selected by their {@code kid}) push and pull as their scope allows, a
 * token signed by any other key gets 401 with the OCI error and a Bearer challenge, and a bad key
 * set stops the start naming the file and the key.
 */
class JwksTokenAuthTest {
    private static final String REALM = "https://auth.example.test/token";
    private static final String SERVICE = "registry.test";
    private static final String ISSUER = "test-token-server";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static KeyPair rsa;
    private static KeyPair p384;
    private static KeyPair stranger;

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
        p384 = ec("secp384r1");
        stranger = ec("secp384r1");
    }

    @AfterEach
    void stop() {
        started.forEach(Registry::close);
    }

    @Test
    void tokensSignedByKeysOfTheSetPushAndPullAsTheirScopeAllows() throws Exception {
        Registry registry = serve(configWithJwks(writeJwks(jwk("rsa-1", rsa.getPublic()).put("use", "sig")
                .put("alg", "RS256"), jwk("ec-1", p384.getPublic()))), Map.of());
        String pusher = token(JwsAlgorithm.RS256, rsa.getPrivate(), "rsa-1", "team/app", "pull", "push");
        String puller = token(JwsAlgorithm.ES384, p384.getPrivate(), "ec-1", "team/app", "pull");
        assertEquals(200, send("GET", registry.url().resolve("/v2/"), pusher, null).statusCode());
        assertEquals(200, send("GET", registry.url().resolve("/v2/"), puller, null).statusCode());

        byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
        byte[] layer = "layer bytes".getBytes(StandardCharsets.UTF_8);
        for (byte[] blob : List.of(config, layer)) {
            HttpResponse<String> upload = send("POST", registry.url().resolve("/v2/team/app/blobs/uploads/?digest="
                    + digest(blob)), pusher, blob);
            assertEquals(201, upload.statusCode(), upload.body());
        }
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + digest(config)
                + "\",\"size\":2},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\","
                + "\"digest\":\"" + digest(layer) + "\",\"size\":" + layer.length + "}]}").getBytes(StandardCharsets.UTF_8);
        HttpRequest put = authorized(registry.url().resolve("/v2/team/app/manifests/1"), pusher)
                .header("Content-Type", "application/vnd.oci.image.manifest.v1+json")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(manifest)).build();
        HttpResponse<String> pushed = http.send(put, HttpResponse.BodyHandlers.ofString());
        assertEquals(201, pushed.statusCode(), pushed.body());

        HttpResponse<byte[]> pulled = http.send(authorized(registry.url().resolve("/v2/team/app/manifests/1"), puller)
                .header("Accept", "application/vnd.oci.image.manifest.v1+json").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, pulled.statusCode());
        assertArrayEquals(manifest, pulled.body());

        HttpResponse<String> pullerPush = send("POST", registry.url().resolve("/v2/team/app/blobs/uploads/"), puller, null);
        assertEquals(401, pullerPush.statusCode(), "the puller's token grants pull only");
        assertTrue(pullerPush.headers().firstValue("WWW-Authenticate").orElse("").endsWith("error=\"insufficient_scope\""));
        HttpResponse<String> otherRepository = send("GET", registry.url().resolve("/v2/other/app/manifests/1"), pusher, null);
        assertEquals(401, otherRepository.statusCode(), "the token names team/app only");
    }

    @Test
    void tokenSignedByAKeyOutsideTheSetGets401WithChallenge() throws Exception {
        Registry registry = serve(configWithJwks(writeJwks(jwk("ec-1", p384.getPublic()))), Map.of());
        for (String kid : List.of("ec-1", "unknown")) {
            String forged = token(JwsAlgorithm.ES384, stranger.getPrivate(), kid, "team/app", "pull");
            HttpResponse<String> response = send("GET", registry.url().resolve("/v2/team/app/tags/list"), forged, null);
            assertEquals(401, response.statusCode(), kid);
            JsonNode error = JSON.readTree(response.body()).path("errors").path(0);
            assertEquals("UNAUTHORIZED", error.path("code").asText(), response.body());
            assertEquals("Bearer realm=\"" + REALM + "\",service=\"" + SERVICE + "\",scope=\"repository:team/app:pull\","
                    + "error=\"invalid_token\"", response.headers().firstValue("WWW-Authenticate").orElse(""), kid);
        }
    }

    @Test
    void theKeySetMayComeFromRegistryAuthTokenJwks() throws Exception {
        Path jwks = writeJwks(jwk("ec-1", p384.getPublic()));
        Registry registry = serve(null, Map.of("REGISTRY_STORAGE", "inmemory", "REGISTRY_HTTP_ADDR", "127.0.0.1:0",
                "REGISTRY_AUTH", "token", "REGISTRY_AUTH_TOKEN_REALM", REALM, "REGISTRY_AUTH_TOKEN_SERVICE", SERVICE,
                "REGISTRY_AUTH_TOKEN_ISSUER", ISSUER, "REGISTRY_AUTH_TOKEN_JWKS", jwks.toString()));
        String token = token(JwsAlgorithm.ES384, p384.getPrivate(), "ec-1", "team/app", "pull");
        assertEquals(404, send("GET", registry.url().resolve("/v2/team/app/tags/list"), token, null).statusCode(),
                "authorized; the repository is just empty");
        assertEquals(401, send("GET", registry.url().resolve("/v2/"), null, null).statusCode());
    }

    @Test
    void aBadKeySetStopsTheStartNamingTheFileAndTheKey() throws Exception {
        ObjectNode offCurve = jwk("bent", p384.getPublic());
        byte[] y = Base64.getUrlDecoder().decode(offCurve.path("y").asText());
        y[y.length - 1] ^= 1;
        offCurve.put("y", b64(y));
        Path jwks = writeJwks(jwk("ec-1", p384.getPublic()), offCurve);
        StringWriter err = new StringWriter();
        assertEquals(CommandLine.ExitCode.SOFTWARE, execute(configWithJwks(jwks), Map.of(), err));
        assertTrue(err.toString().contains("bad JWK Set " + jwks + ": key #2 (kid \"bent\"): the point (x, y) is not on"
                + " curve P-384"), err.toString());
        assertTrue(started.isEmpty());
    }

    private Path configWithJwks(Path jwks) throws Exception {
        return Files.writeString(temp.resolve("config.yml"), "version: 0.1\nstorage:\n  inmemory: {}\nhttp:\n"
                + "  addr: 127.0.0.1:0\nauth:\n  token:\n    realm: " + REALM + "\n    service: " + SERVICE + "\n"
                + "    issuer: " + ISSUER + "\n    jwks: " + jwks + "\n");
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
        return config == null ? commandLine.execute("serve") : commandLine.execute("serve", config.toString());
    }

    private HttpRequest.Builder authorized(URI uri, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10));
        if (token != null) request.header("Authorization", "Bearer " + token);
        return request;
    }

    private HttpResponse<String> send(String method, URI uri, String token, byte[] body) throws Exception {
        HttpRequest request = authorized(uri, token).method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String token(JwsAlgorithm alg, PrivateKey key, String kid, String repository, String... actions)
            throws Exception {
        long now = Instant.now().getEpochSecond();
        ObjectNode header = JSON.createObjectNode().put("typ", "JWT").put("alg", alg.name()).put("kid", kid);
        ObjectNode claims = JSON.createObjectNode().put("iss", ISSUER).put("sub", "alice").put("aud", SERVICE)
                .put("exp", now + 300).put("nbf", now - 5).put("iat", now);
        ObjectNode access = claims.putArray("access").addObject().put("type", "repository").put("name", repository);
        for (String action : actions) access.withArray("actions").add(action);
        String input = b64(JSON.writeValueAsBytes(header)) + "." + b64(JSON.writeValueAsBytes(claims));
        return input + "." + b64(alg.sign(key, input.getBytes(StandardCharsets.US_ASCII)));
    }

    /** The public JWK of {@code key}, written here independently of the reader under test. */
    private static ObjectNode jwk(String kid, PublicKey key) {
        ObjectNode jwk = JSON.createObjectNode().put("kid", kid);
        if (key instanceof RSAPublicKey r) {
            return jwk.put("kty", "RSA").put("n", b64(unsigned(r.getModulus(), 0)))
                    .put("e", b64(unsigned(r.getPublicExponent(), 0)));
        }
        ECPublicKey ec = (ECPublicKey) key;
        int bytes = (ec.getParams().getCurve().getField().getFieldSize() + 7) / 8;
        return jwk.put("kty", "EC").put("crv", "P-" + ec.getParams().getCurve().getField().getFieldSize())
                .put("x", b64(unsigned(ec.getW().getAffineX(), bytes))).put("y", b64(unsigned(ec.getW().getAffineY(), bytes)));
    }

    private Path writeJwks(ObjectNode... keys) throws Exception {
        ObjectNode set = JSON.createObjectNode();
        for (ObjectNode key : keys) set.withArray("keys").add(key);
        return Files.writeString(temp.resolve("jwks.json"), set.toPrettyString());
    }

    private static KeyPair ec(String curve) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec(curve));
        return generator.generateKeyPair();
    }

    private static byte[] unsigned(BigInteger value, int length) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
        if (length == 0 || bytes.length == length) return bytes;
        byte[] padded = new byte[length];
        System.arraycopy(bytes, 0, padded, length - bytes.length, bytes.length);
        return padded;
    }

    private static String digest(byte[] bytes) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
