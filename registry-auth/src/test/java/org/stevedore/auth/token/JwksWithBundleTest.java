package org.stevedore.auth.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stevedore.auth.AuthConfigurations;
import org.stevedore.registry.Registry;

/**
 * {@code rootcertbundle} and {@code jwks} together, as distribution 3 allows: tokens verified by
 * the bundle (x5c chain, or kid of a bundle key) and by the key set (kid) are both accepted.
 */
class JwksWithBundleTest {
    private static final String REALM = "https://auth.example.test/token";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final KeyPair SET_KEY = Jwks.ec("secp384r1");

    @TempDir
    static Path temp;
    private static TestTokenServer server;
    private static Registry registry;

    @BeforeAll
    static void start() throws Exception {
        server = new TestTokenServer();
        Path bundle = server.writeBundle(temp.resolve("root.pem"));
        Path jwks = Jwks.write(temp.resolve("jwks.json"), Jwks.jwk("set-key", SET_KEY.getPublic()).put("use", "sig"));
        registry = Registry.builder()
                .accessController(AuthConfigurations.token(REALM, TestTokenServer.SERVICE, TestTokenServer.ISSUER,
                        Optional.of(bundle), Optional.of(jwks), Optional.empty()))
                .start();
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    private static HttpResponse<String> pull(String token) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(registry.url().resolve("/v2/team/app/tags/list"))
                .header("Authorization", "Bearer " + token).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void bundleAndKeySetTokensAreBothAccepted() throws Exception {
        assertEquals(404, pull(server.chainToken(TestTokenServer.claims("a", "team/app", "pull"))).statusCode(),
                "x5c chain to the bundle: authorized, repository unknown");
        assertEquals(404, pull(server.kidToken(TestTokenServer.claims("a", "team/app", "pull"))).statusCode(),
                "kid of the bundle's key");
        assertEquals(404, pull(TestTokenServer.sign(JwsAlgorithm.ES384, SET_KEY.getPrivate(),
                header -> header.put("kid", "set-key"), TestTokenServer.claims("a", "team/app", "pull"))).statusCode(),
                "kid of the key set");
    }

    @Test
    void theBundleKeyCannotSignUnderAKeySetKid() throws Exception {
        HttpResponse<String> refused = pull(TestTokenServer.sign(JwsAlgorithm.ES256, server.caKeys.getPrivate(),
                header -> header.put("kid", "set-key"), TestTokenServer.claims("a", "team/app", "pull")));
        assertEquals(401, refused.statusCode());
        assertTrue(refused.body().contains("key set-key (EC P-384) cannot verify ES256"), refused.body());
    }
}
