package org.stevedore.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.stevedore.auth.token.JwsAlgorithm;
import org.stevedore.registry.Registry;

/**
 * The real launcher serving token auth for tests that are their own token server: runs
 * {@code serve} with a config.yml and environment, signs tokens, writes JWK Sets (independently
 * of the reader under test), and pushes and pulls with a bearer token. Register it with
 * {@code @RegisterExtension}: what it started is closed after each test.
 */
final class TokenAuthLauncher implements AfterEachCallback {
    static final String REALM = "https://auth.example.test/token";
    static final String SERVICE = "registry.test";
    static final String ISSUER = "test-token-server";
    static final String MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final InProcessServe launcher = new InProcessServe();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** Starts {@code serve CONFIG} (no argument when null) with {@code env}; it must start without a warning. */
    Registry serve(Path config, Map<String, String> env) {
        return config == null ? launcher.startWithoutWarnings(env) : launcher.startWithoutWarnings(env, config.toString());
    }

    /** Runs {@code serve CONFIG}; its exit code, its messages in {@code err}. */
    int execute(Path config, Map<String, String> env, StringWriter err) {
        return config == null ? launcher.execute(env, err) : launcher.execute(env, err, config.toString());
    }

    boolean startedNothing() {
        return launcher.startedNothing();
    }

    HttpClient http() {
        return http;
    }

    HttpResponse<String> send(String method, URI uri, String token, byte[] body) throws Exception {
        return send(method, uri, token, body, null);
    }

    HttpResponse<String> send(String method, URI uri, String token, byte[] body, String contentType) throws Exception {
        HttpRequest.Builder request = authorized(uri, token).method(method, body == null
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) request.header("Content-Type", contentType);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpRequest.Builder authorized(URI uri, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10));
        if (token != null) request.header("Authorization", "Bearer " + token);
        return request;
    }

    /** Pushes a config and a layer to team/app, then manifest {@code 1} naming them; the manifest's bytes. */
    byte[] pushTinyImage(Registry registry, String token) throws Exception {
        byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
        byte[] layer = "layer bytes".getBytes(StandardCharsets.UTF_8);
        for (byte[] blob : List.of(config, layer)) {
            HttpResponse<String> upload = send("POST", registry.url().resolve("/v2/team/app/blobs/uploads/?digest="
                    + digest(blob)), token, blob);
            assertEquals(201, upload.statusCode(), upload.body());
        }
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MANIFEST_TYPE + "\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + digest(config)
                + "\",\"size\":2},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\","
                + "\"digest\":\"" + digest(layer) + "\",\"size\":" + layer.length + "}]}").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> pushed = send("PUT", registry.url().resolve("/v2/team/app/manifests/1"), token, manifest,
                MANIFEST_TYPE);
        assertEquals(201, pushed.statusCode(), pushed.body());
        return manifest;
    }

    /** GET team/app's manifest {@code 1}. */
    HttpResponse<byte[]> pullTinyImage(Registry registry, String token) throws Exception {
        return http.send(authorized(registry.url().resolve("/v2/team/app/manifests/1"), token)
                .header("Accept", MANIFEST_TYPE).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** A refused token: 401, the OCI error, and the Bearer challenge naming {@code invalid_token}. */
    static void assertInvalidToken(HttpResponse<String> response, String why) throws Exception {
        assertEquals(401, response.statusCode(), why);
        JsonNode error = JSON.readTree(response.body()).path("errors").path(0);
        assertEquals("UNAUTHORIZED", error.path("code").asText(), response.body());
        assertEquals("Bearer realm=\"" + REALM + "\",service=\"" + SERVICE + "\",scope=\"repository:team/app:pull\","
                + "error=\"invalid_token\"", response.headers().firstValue("WWW-Authenticate").orElse(""), why);
    }

    /** config.yml with inmemory storage and token auth trusting the JWK Set {@code jwks}, plus {@code extra} lines of auth.token. */
    static Path config(Path directory, Path jwks, String extra) throws Exception {
        return Files.writeString(directory.resolve("config.yml"), "version: 0.1\nstorage:\n  inmemory: {}\nhttp:\n"
                + "  addr: 127.0.0.1:0\nauth:\n  token:\n    realm: " + REALM + "\n    service: " + SERVICE + "\n"
                + "    issuer: " + ISSUER + "\n    jwks: " + jwks + "\n" + extra);
    }

    /** A token for {@code repository} signed by {@code key} with {@code alg}, naming the key by {@code kid}. */
    static String token(JwsAlgorithm alg, PrivateKey key, String kid, String repository, String... actions)
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

    /** The public JWK of an RSA or EC {@code key}. */
    static ObjectNode jwk(String kid, PublicKey key) {
        ObjectNode jwk = JSON.createObjectNode().put("kid", kid);
        if (key instanceof RSAPublicKey r) {
            return jwk.put("kty", "RSA").put("n", b64(unsigned(r.getModulus(), 0)))
                    .put("e", b64(unsigned(r.getPublicExponent(), 0)));
        }
        ECPublicKey ec = (ECPublicKey) key;
        int bits = ec.getParams().getCurve().getField().getFieldSize();
        int bytes = (bits + 7) / 8;
        return jwk.put("kty", "EC").put("crv", "P-" + bits)
                .put("x", b64(unsigned(ec.getW().getAffineX(), bytes))).put("y", b64(unsigned(ec.getW().getAffineY(), bytes)));
    }

    static Path writeJwks(Path directory, ObjectNode... keys) throws Exception {
        ObjectNode set = JSON.createObjectNode();
        for (ObjectNode key : keys) set.withArray("keys").add(key);
        return Files.writeString(directory.resolve("jwks.json"), set.toPrettyString());
    }

    static String digest(byte[] bytes) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Big-endian without the sign byte, left-padded to {@code length} (0: as long as it is). */
    private static byte[] unsigned(BigInteger value, int length) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
        if (length == 0 || bytes.length == length) return bytes;
        byte[] padded = new byte[length];
        System.arraycopy(bytes, 0, padded, length - bytes.length, bytes.length);
        return padded;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        launcher.afterEach(context);
    }
}
