package org.stevedore.auth.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.stevedore.auth.AuthConfigurations;
import org.stevedore.registry.Registry;

/**
 * distribution 3's {@code auth.token.signingalgorithms}: which names a list may hold, and that a
 * token whose {@code alg} is not allowed is refused although its key and signature are good.
 */
class SigningAlgorithmsTest {
    private static final KeyPair RSA = Jwks.rsa(2048);
    private static final KeyPair P256 = Jwks.ec("secp256r1");
    private static final KeyPair P384 = Jwks.ec("secp384r1");
    private static final KeyPair P521 = Jwks.ec("secp521r1");
    private static final KeyPair ED25519 = Jwks.ed25519();
    /** The key of the set each algorithm signs with. */
    private static final Map<JwsAlgorithm, String> KID = Map.of(JwsAlgorithm.RS256, "rsa", JwsAlgorithm.RS384, "rsa",
            JwsAlgorithm.RS512, "rsa", JwsAlgorithm.PS256, "rsa", JwsAlgorithm.PS384, "rsa", JwsAlgorithm.PS512, "rsa",
            JwsAlgorithm.ES256, "p256", JwsAlgorithm.ES384, "p384", JwsAlgorithm.ES512, "p521", JwsAlgorithm.EdDSA, "ed");

    @TempDir
    Path temp;

    private TokenVerifier verifier() {
        JsonWebKeySet set = JsonWebKeySet.read(Jwks.write(temp.resolve("jwks.json"), Jwks.jwk("rsa", RSA.getPublic()),
                Jwks.jwk("p256", P256.getPublic()), Jwks.jwk("p384", P384.getPublic()),
                Jwks.jwk("p521", P521.getPublic()), Jwks.jwk("ed", ED25519.getPublic())));
        return TokenVerifier.of(TestTokenServer.ISSUER, TestTokenServer.SERVICE, List.of()).trusting(set);
    }

    private static String token(JwsAlgorithm alg) {
        return token(alg, KID.get(alg));
    }

    private static String token(JwsAlgorithm alg, String kid) {
        PrivateKey key = switch (KID.get(alg)) {
            case "rsa" -> RSA.getPrivate();
            case "p256" -> P256.getPrivate();
            case "p384" -> P384.getPrivate();
            case "p521" -> P521.getPrivate();
            default -> ED25519.getPrivate();
        };
        return TestTokenServer.sign(alg, key, header -> header.put("kid", kid),
                TestTokenServer.claims("alice", "team/app", "pull"));
    }

    static Stream<Arguments> validLists() {
        return Stream.of(
                Arguments.of(List.of("RS256"), EnumSet.of(JwsAlgorithm.RS256)),
                Arguments.of(List.of("ES384", "EdDSA", "ES384"), EnumSet.of(JwsAlgorithm.ES384, JwsAlgorithm.EdDSA)),
                Arguments.of(List.of("PS512", "RS256", "ES256", "ES512"),
                        EnumSet.of(JwsAlgorithm.PS512, JwsAlgorithm.RS256, JwsAlgorithm.ES256, JwsAlgorithm.ES512)),
                // As distribution: an empty list means the default one.
                Arguments.of(List.of(), EnumSet.allOf(JwsAlgorithm.class)));
    }

    @ParameterizedTest
    @MethodSource("validLists")
    void listsOfAlgorithmNamesParse(List<String> names, Set<JwsAlgorithm> expected) {
        assertEquals(expected, SigningAlgorithms.parse(names).allowed());
    }

    static Stream<Arguments> invalidLists() {
        return Stream.of(
                Arguments.of(List.of("RS256", "HS256"), "'HS256' is an HMAC algorithm, which Stevedore does not verify"),
                Arguments.of(List.of("HS512"), "'HS512' is an HMAC algorithm"),
                Arguments.of(List.of("rs256"), "'rs256' is not a signing algorithm (names are case-sensitive: RS256)"),
                Arguments.of(List.of("EDDSA"), "'EDDSA' is not a signing algorithm (names are case-sensitive: EdDSA)"),
                Arguments.of(List.of("RS265"), "'RS265' is not a signing algorithm Stevedore verifies; use some of"
                        + " RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA"),
                Arguments.of(List.of("none"), "'none' is not a signing algorithm Stevedore verifies"),
                Arguments.of(List.of("ES256", ""), "'' is not a signing algorithm Stevedore verifies"));
    }

    @ParameterizedTest
    @MethodSource("invalidLists")
    void unknownAndUnsupportedNamesAreRefusedWithTheName(List<String> names, String why) {
        String message = assertThrows(IllegalArgumentException.class, () -> SigningAlgorithms.parse(names)).getMessage();
        assertTrue(message.startsWith(why), message);
    }

    @Test
    void theDefaultIsEveryAlgorithmStevedoreVerifies() throws Exception {
        assertEquals(EnumSet.allOf(JwsAlgorithm.class), SigningAlgorithms.DEFAULT.allowed());
        assertEquals("RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA",
                SigningAlgorithms.DEFAULT.toString());
        TokenVerifier verifier = verifier();
        for (JwsAlgorithm alg : JwsAlgorithm.values()) {
            assertEquals(Optional.of("alice"), verifier.verify(token(alg)).subject(), alg.name());
        }
    }

    @Test
    void aTokenWhoseAlgIsNotAllowedIsRefusedThoughItsKeyAndSignatureAreGood() throws Exception {
        TokenVerifier verifier = verifier().allowing(SigningAlgorithms.parse(List.of("RS256", "ES384")));
        assertEquals(Optional.of("alice"), verifier.verify(token(JwsAlgorithm.RS256)).subject());
        assertEquals(Optional.of("alice"), verifier.verify(token(JwsAlgorithm.ES384)).subject());
        for (JwsAlgorithm alg : EnumSet.complementOf(EnumSet.of(JwsAlgorithm.RS256, JwsAlgorithm.ES384))) {
            String token = token(alg);
            assertEquals(Optional.of("alice"), verifier().verify(token).subject(), alg + " is otherwise valid");
            String why = assertThrows(InvalidTokenException.class, () -> verifier.verify(token), alg.name()).getMessage();
            assertEquals("alg " + alg + " is not one of the allowed signing algorithms", why);
        }
    }

    @Test
    void theAlgIsCheckedBeforeTheKeyIsLookedUp() {
        TokenVerifier verifier = verifier().allowing(SigningAlgorithms.parse(List.of("ES256")));
        String unknownKey = token(JwsAlgorithm.PS256, "nobody");
        assertEquals("alg PS256 is not one of the allowed signing algorithms",
                assertThrows(InvalidTokenException.class, () -> verifier.verify(unknownKey)).getMessage());
        assertEquals("unknown signing key nobody", assertThrows(InvalidTokenException.class,
                () -> verifier.verify(token(JwsAlgorithm.ES256, "nobody"))).getMessage());
    }

    @Test
    void aRegistryRefusesADisallowedAlgWith401AndTheBearerChallenge() throws Exception {
        Path jwks = Jwks.write(temp.resolve("rsa.json"), Jwks.jwk("rsa", RSA.getPublic()));
        String realm = "https://auth.example.test/token";
        try (Registry registry = Registry.builder()
                .accessController(AuthConfigurations.token(realm, TestTokenServer.SERVICE, TestTokenServer.ISSUER,
                        Optional.empty(), Optional.of(jwks), Optional.empty(),
                        SigningAlgorithms.parse(List.of("PS256"))))
                .start()) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            Map<JwsAlgorithm, Integer> expected = Map.of(JwsAlgorithm.PS256, 404, JwsAlgorithm.RS256, 401);
            for (Map.Entry<JwsAlgorithm, Integer> c : expected.entrySet()) {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        registry.url().resolve("/v2/team/app/tags/list")).header("Authorization", "Bearer "
                        + token(c.getKey())).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(c.getValue(), response.statusCode(), c.getKey() + ": " + response.body());
                if (c.getValue() == 401) {
                    ObjectNode body = (ObjectNode) Jwks.JSON.readTree(response.body());
                    assertEquals("UNAUTHORIZED", body.path("errors").path(0).path("code").asText(), response.body());
                    assertEquals("Bearer realm=\"" + realm + "\",service=\"registry.test\","
                            + "scope=\"repository:team/app:pull\",error=\"invalid_token\"",
                            response.headers().firstValue("WWW-Authenticate").orElse(""));
                }
            }
        }
    }
}
