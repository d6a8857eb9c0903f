package org.stevedore.launcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.stevedore.launcher.TokenAuthLauncher.ISSUER;
import static org.stevedore.launcher.TokenAuthLauncher.REALM;
import static org.stevedore.launcher.TokenAuthLauncher.SERVICE;
import static org.stevedore.launcher.TokenAuthLauncher.assertInvalidToken;
import static org.stevedore.launcher.TokenAuthLauncher.jwk;
import static org.stevedore.launcher.TokenAuthLauncher.token;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
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
    private static KeyPair rsa;
    private static KeyPair p384;
    private static KeyPair stranger;

    @TempDir
    Path temp;

    @RegisterExtension
    final TokenAuthLauncher launcher = new TokenAuthLauncher();

    @BeforeAll
    static void keys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        rsa = generator.generateKeyPair();
        p384 = ec("secp384r1");
        stranger = ec("secp384r1");
    }

    @Test
    void tokensSignedByKeysOfTheSetPushAndPullAsTheirScopeAllows() throws Exception {
        Registry registry = launcher.serve(configWithJwks(writeJwks(jwk("rsa-1", rsa.getPublic()).put("use", "sig")
                .put("alg", "RS256"), jwk("ec-1", p384.getPublic()))), Map.of());
        String pusher = token(JwsAlgorithm.RS256, rsa.getPrivate(), "rsa-1", "team/app", "pull", "push");
        String puller = token(JwsAlgorithm.ES384, p384.getPrivate(), "ec-1", "team/app", "pull");
        assertEquals(200, launcher.send("GET", registry.url().resolve("/v2/"), pusher, null).statusCode());
        assertEquals(200, launcher.send("GET", registry.url().resolve("/v2/"), puller, null).statusCode());

        byte[] manifest = launcher.pushTinyImage(registry, pusher);
        HttpResponse<byte[]> pulled = launcher.pullTinyImage(registry, puller);
        assertEquals(200, pulled.statusCode());
        assertArrayEquals(manifest, pulled.body());

        HttpResponse<String> pullerPush = launcher.send("POST", registry.url().resolve("/v2/team/app/blobs/uploads/"),
                puller, null);
        assertEquals(401, pullerPush.statusCode(), "the puller's token grants pull only");
        assertTrue(pullerPush.headers().firstValue("WWW-Authenticate").orElse("").endsWith("error=\"insufficient_scope\""));
        HttpResponse<String> otherRepository = launcher.send("GET", registry.url().resolve("/v2/other/app/manifests/1"),
                pusher, null);
        assertEquals(401, otherRepository.statusCode(), "the token names team/app only");
    }

    @Test
    void tokenSignedByAKeyOutsideTheSetGets401WithChallenge() throws Exception {
        Registry registry = launcher.serve(configWithJwks(writeJwks(jwk("ec-1", p384.getPublic()))), Map.of());
        for (String kid : List.of("ec-1", "unknown")) {
            String forged = token(JwsAlgorithm.ES384, stranger.getPrivate(), kid, "team/app", "pull");
            assertInvalidToken(launcher.send("GET", registry.url().resolve("/v2/team/app/tags/list"), forged, null), kid);
        }
    }

    @Test
    void theKeySetMayComeFromRegistryAuthTokenJwks() throws Exception {
        Path jwks = writeJwks(jwk("ec-1", p384.getPublic()));
        Registry registry = launcher.serve(null, Map.of("REGISTRY_STORAGE", "inmemory", "REGISTRY_HTTP_ADDR",
                "127.0.0.1:0", "REGISTRY_AUTH", "token", "REGISTRY_AUTH_TOKEN_REALM", REALM,
                "REGISTRY_AUTH_TOKEN_SERVICE", SERVICE, "REGISTRY_AUTH_TOKEN_ISSUER", ISSUER,
                "REGISTRY_AUTH_TOKEN_JWKS", jwks.toString()));
        String token = token(JwsAlgorithm.ES384, p384.getPrivate(), "ec-1", "team/app", "pull");
        assertEquals(404, launcher.send("GET", registry.url().resolve("/v2/team/app/tags/list"), token, null)
                .statusCode(), "authorized; the repository is just empty");
        assertEquals(401, launcher.send("GET", registry.url().resolve("/v2/"), null, null).statusCode());
    }

    @Test
    void aBadKeySetStopsTheStartNamingTheFileAndTheKey() throws Exception {
        ObjectNode offCurve = jwk("bent", p384.getPublic());
        byte[] y = Base64.getUrlDecoder().decode(offCurve.path("y").asText());
        y[y.length - 1] ^= 1;
        offCurve.put("y", TokenAuthLauncher.b64(y));
        Path jwks = writeJwks(jwk("ec-1", p384.getPublic()), offCurve);
        StringWriter err = new StringWriter();
        assertEquals(CommandLine.ExitCode.SOFTWARE, launcher.execute(configWithJwks(jwks), Map.of(), err));
        assertTrue(err.toString().contains("bad JWK Set " + jwks + ": key #2 (kid \"bent\"): the point (x, y) is not on"
                + " curve P-384"), err.toString());
        assertTrue(launcher.startedNothing());
    }

    private Path configWithJwks(Path jwks) throws Exception {
        return TokenAuthLauncher.config(temp, jwks, "");
    }

    private Path writeJwks(ObjectNode... keys) throws Exception {
        return TokenAuthLauncher.writeJwks(temp, keys);
    }

    private static KeyPair ec(String curve) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec(curve));
        return generator.generateKeyPair();
    }
}
