package org.stevedore.auth.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.stevedore.auth.AuthConfigurations;

/**
 * distribution's {@code auth.token.jwks}: a JWK Set file read into verification keys by kid, and
 * tokens checked against it through {@link TokenVerifier}.
 */
class JsonWebKeySetTest {
    private static final KeyPair RSA = Jwks.rsa(2048);
    private static final KeyPair P256 = Jwks.ec("secp256r1");
    private static final KeyPair P384 = Jwks.ec("secp384r1");
    private static final KeyPair P521 = Jwks.ec("secp521r1");
    private static final KeyPair OTHER_P256 = Jwks.ec("secp256r1");
    private static final KeyPair ED25519 = Jwks.ed25519();

    @TempDir
    Path temp;

    private TokenVerifier verifier(ObjectNode... keys) {
        JsonWebKeySet set = JsonWebKeySet.read(Jwks.write(temp.resolve("jwks.json"), keys));
        return TokenVerifier.of(TestTokenServer.ISSUER, TestTokenServer.SERVICE, List.of()).trusting(set);
    }

    private static String token(JwsAlgorithm alg, PrivateKey key, String kid) {
        return token(alg, key, header -> header.put("kid", kid));
    }

    private static String token(JwsAlgorithm alg, PrivateKey key, Consumer<ObjectNode> header) {
        return TestTokenServer.sign(alg, key, header, TestTokenServer.claims("alice", "team/app", "pull", "push"));
    }

    private static String refusal(TokenVerifier verifier, String token) {
        return assertThrows(InvalidTokenException.class, () -> verifier.verify(token)).getMessage();
    }

    @Test
    void rsaAndEcKeysOfTheSetVerifyTokensNamedByKid() throws Exception {
        TokenVerifier verifier = verifier(Jwks.jwk("rsa", RSA.getPublic()), Jwks.jwk("p256", P256.getPublic()),
                Jwks.jwk("p384", P384.getPublic()).put("use", "sig").put("alg", "ES384"),
                Jwks.jwk("p521", P521.getPublic()), Jwks.jwk("ed", ED25519.getPublic()).put("alg", "EdDSA"));
        Object[][] cases = {{JwsAlgorithm.RS256, RSA, "rsa"}, {JwsAlgorithm.RS512, RSA, "rsa"},
            {JwsAlgorithm.PS256, RSA, "rsa"}, {JwsAlgorithm.ES256, P256, "p256"}, {JwsAlgorithm.ES384, P384, "p384"},
            {JwsAlgorithm.ES512, P521, "p521"}, {JwsAlgorithm.EdDSA, ED25519, "ed"}};
        for (Object[] c : cases) {
            VerifiedToken verified = verifier.verify(token((JwsAlgorithm) c[0], ((KeyPair) c[1]).getPrivate(), (String) c[2]));
            assertEquals(Optional.of("alice"), verified.subject(), c[0] + " with " + c[2]);
            assertEquals(List.of(new TokenAccess("repository", "team/app", java.util.Set.of("pull", "push"))),
                    verified.access(), c[0] + " with " + c[2]);
        }
    }

    @Test
    void aKidInAHeaderJwkSelectsTheKeyAsInDistribution() throws Exception {
        TokenVerifier verifier = verifier(Jwks.jwk("p256", P256.getPublic()));
        String token = token(JwsAlgorithm.ES256, P256.getPrivate(),
                header -> header.set("jwk", Jwks.jwk("p256", P256.getPublic())));
        assertEquals(Optional.of("alice"), verifier.verify(token).subject());
        // An embedded key is no trust anchor: naming our kid with another key's material fails.
        String forged = token(JwsAlgorithm.ES256, OTHER_P256.getPrivate(),
                header -> header.set("jwk", Jwks.jwk("p256", OTHER_P256.getPublic())));
        assertEquals("bad signature", refusal(verifier, forged));
    }

    @Test
    void refusesUnknownKidWrongKeyAndAlgorithmsTheKeyIsNotFor() {
        TokenVerifier verifier = verifier(Jwks.jwk("rsa", RSA.getPublic()).put("alg", "RS384"),
                Jwks.jwk("p256", P256.getPublic()), Jwks.jwk("p384", P384.getPublic()),
                Jwks.jwk("enc", OTHER_P256.getPublic()).put("use", "enc"),
                wrapOnly(Jwks.jwk("wrap", P521.getPublic())));
        assertEquals("unknown signing key nope", refusal(verifier, token(JwsAlgorithm.ES256, P256.getPrivate(), "nope")));
        assertEquals("bad signature", refusal(verifier, token(JwsAlgorithm.ES256, OTHER_P256.getPrivate(), "p256")));
        assertEquals("token alg RS256 does not match key rsa's alg RS384",
                refusal(verifier, token(JwsAlgorithm.RS256, RSA.getPrivate(), "rsa")));
        assertEquals(Optional.of("alice"), assertDoesNotThrow(verifier, token(JwsAlgorithm.RS384, RSA.getPrivate(), "rsa")));
        assertEquals("key enc is not a signing key (use=enc)",
                refusal(verifier, token(JwsAlgorithm.ES256, OTHER_P256.getPrivate(), "enc")));
        assertTrue(refusal(verifier, token(JwsAlgorithm.ES512, P521.getPrivate(), "wrap"))
                .startsWith("key wrap may not verify signatures (key_ops"));
        assertEquals("key p384 (EC P-384) cannot verify ES256",
                refusal(verifier, token(JwsAlgorithm.ES256, P256.getPrivate(), "p384")));
        assertEquals("key p256 (EC P-256) cannot verify RS256",
                refusal(verifier, token(JwsAlgorithm.RS256, RSA.getPrivate(), "p256")));
        assertEquals("key p256 (EC P-256) cannot verify EdDSA",
                refusal(verifier, token(JwsAlgorithm.EdDSA, ED25519.getPrivate(), "p256")));
        assertEquals("unsupported alg HS256", refusal(verifier, TestTokenServer.sign(JwsAlgorithm.ES256,
                P256.getPrivate(), header -> header.put("kid", "p256").put("alg", "HS256"),
                TestTokenServer.claims("alice", "team/app", "pull"))));
    }

    private static ObjectNode wrapOnly(ObjectNode jwk) {
        jwk.putArray("key_ops").add("wrapKey");
        return jwk;
    }

    private static Optional<String> assertDoesNotThrow(TokenVerifier verifier, String token) {
        try {
            return verifier.verify(token).subject();
        } catch (InvalidTokenException e) {
            throw new AssertionError("refused: " + e.getMessage(), e);
        }
    }

    @Test
    void x5cInAKeyMustHoldThatKey() throws Exception {
        X509Certificate own = TestTokenServer.certificate("CN=signer", P256.getPublic(), "CN=signer", P256.getPrivate(),
                false, java.time.Duration.ofDays(1));
        ObjectNode withChain = Jwks.jwk("p256", P256.getPublic());
        withChain.putArray("x5c").add(TestTokenServer.x5c(own));
        withChain.put("x5t#S256", Jwks.b64(java.security.MessageDigest.getInstance("SHA-256").digest(own.getEncoded())));
        // go-jose also takes the thumbprint's hex form, which some tools write.
        withChain.put("x5t", Jwks.b64(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-1")
                .digest(own.getEncoded())).getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        assertEquals(Optional.of("alice"), assertDoesNotThrow(verifier(withChain),
                token(JwsAlgorithm.ES256, P256.getPrivate(), "p256")));

        ObjectNode otherKey = Jwks.jwk("other", OTHER_P256.getPublic());
        otherKey.putArray("x5c").add(TestTokenServer.x5c(own));
        assertBad(otherKey, "key #1 (kid \"other\"): the first x5c certificate holds another key than the JWK");
        withChain.put("x5t#S256", Jwks.b64(new byte[32]));
        assertBad(withChain, "key #1 (kid \"p256\"): x5t#S256 is not the thumbprint of the first x5c certificate");
    }

    private void assertBad(ObjectNode key, String why) {
        Path file = Jwks.write(temp.resolve("bad.json"), key);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsonWebKeySet.read(file));
        assertEquals("bad JWK Set " + file + ": " + why, e.getMessage());
    }

    static Stream<Arguments> malformedFiles() {
        String p256 = Jwks.jwk("a", P256.getPublic()).toString();
        String rsa = Jwks.jwk("r", RSA.getPublic()).toString();
        ObjectNode offCurve = Jwks.jwk("a", P256.getPublic());
        byte[] y = java.util.Base64.getUrlDecoder().decode(offCurve.path("y").asText());
        y[31] ^= 1;
        offCurve.put("y", Jwks.b64(y));
        ObjectNode shortX = Jwks.jwk("a", P256.getPublic()).put("x", Jwks.b64(new byte[31]));
        return Stream.of(
                Arguments.of("{\"keys\": [", "not JSON"),
                Arguments.of("{\"keys\": []} trailing", "not JSON"),
                Arguments.of("[]", "not a JSON object"),
                Arguments.of("{\"kty\": \"EC\"}", "no \"keys\" list"),
                Arguments.of("{\"keys\": [42]}", "key #1: is not a JSON object"),
                Arguments.of("{\"keys\": [{\"kty\": \"EC\", \"crv\": \"P-256\"}]}", "key #1: \"kid\" is missing"),
                Arguments.of("{\"keys\": [{\"kid\": \"k\"}]}", "key #1 (kid \"k\"): \"kty\" is missing"),
                Arguments.of("{\"keys\": [" + p256 + ", {\"kid\": \"s\", \"kty\": \"oct\", \"k\": \"c2VjcmV0\"}]}",
                        "key #2 (kid \"s\"): kty \"oct\" is not supported (RSA, EC and OKP are)"),
                Arguments.of("{\"keys\": [{\"kid\": \"e\", \"kty\": \"OKP\", \"crv\": \"X25519\", \"x\": \"AA\"}]}",
                        "key #1 (kid \"e\"): crv \"X25519\" is not supported for OKP (Ed25519 is)"),
                Arguments.of("{\"keys\": [{\"kid\": \"e\", \"kty\": \"OKP\", \"crv\": \"Ed25519\", \"x\": \"AA\"}]}",
                        "key #1 (kid \"e\"): x has 1 bytes; 32 expected for Ed25519"),
                Arguments.of("{\"keys\": [{\"kid\": \"e\", \"kty\": \"OKP\", \"crv\": \"Ed25519\", \"x\": \""
                        + Jwks.b64(ed25519Y(2)) + "\"}]}", "key #1 (kid \"e\"): x is not a point on Ed25519"),
                Arguments.of("{\"keys\": [" + p256.replace("P-256", "secp256k1") + "]}",
                        "key #1 (kid \"a\"): crv \"secp256k1\" is not supported (P-256, P-384 and P-521 are)"),
                Arguments.of("{\"keys\": [" + offCurve + "]}", "key #1 (kid \"a\"): the point (x, y) is not on curve P-256"),
                Arguments.of("{\"keys\": [" + shortX + "]}", "key #1 (kid \"a\"): x has 31 bytes; 32 expected"),
                Arguments.of("{\"keys\": [{\"kid\": \"a\", \"kty\": \"EC\", \"crv\": \"P-256\", \"x\": \"" + Jwks.b64(new byte[32]) + "\"}]}",
                        "key #1 (kid \"a\"): \"y\" is missing"),
                Arguments.of("{\"keys\": [" + rsa.replaceFirst("\"n\":\"", "\"n\":\"*") + "]}",
                        "key #1 (kid \"r\"): n is not base64url"),
                Arguments.of("{\"keys\": [" + Jwks.jwk("small", Jwks.rsa(1024).getPublic()) + "]}",
                        "key #1 (kid \"small\"): RSA modulus n has 1024 bits; RFC 7518 requires at least 2048"),
                Arguments.of("{\"keys\": [" + rsa.replaceFirst("\"e\":\"[^\"]*\"", "\"e\":\"AAI\"") + "]}",
                        "key #1 (kid \"r\"): RSA exponent e is not an odd number"),
                Arguments.of("{\"keys\": [" + Jwks.jwk("r", RSA.getPublic()).put("alg", "ES256") + "]}",
                        "key #1 (kid \"r\"): alg ES256 does not fit its RSA 2048 key"),
                Arguments.of("{\"keys\": [" + p256 + ", " + Jwks.jwk("a", P384.getPublic()) + "]}",
                        "key #2 (kid \"a\"): another key has the same kid"),
                Arguments.of("{\"keys\": [{\"kid\": \"a\", \"kid\": \"b\", \"kty\": \"EC\"}]}", "not JSON: Duplicate field"),
                Arguments.of("{\"keys\": [" + Jwks.jwk("u", P256.getPublic()).put("use", 7) + "]}",
                        "key #1 (kid \"u\"): \"use\" is not a non-empty string"));
    }

    /** The Ed25519 encoding of y (little-endian); y = 2 has no x on the curve (checked with Python). */
    private static byte[] ed25519Y(int y) {
        byte[] encoded = new byte[32];
        encoded[0] = (byte) y;
        return encoded;
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("malformedFiles")
    void malformedFilesFailWithTheFileAndTheKey(String text, String why) {
        Path file = Jwks.write(temp.resolve("jwks.json"), text);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsonWebKeySet.read(file));
        assertTrue(e.getMessage().startsWith("bad JWK Set " + file + ": " + why), e.getMessage());
    }

    @Test
    void aMissingFileIsNamed() {
        Path missing = temp.resolve("absent.json");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> JsonWebKeySet.read(missing));
        assertTrue(e.getMessage().startsWith("cannot read JWK Set " + missing), e.getMessage());
    }

    @Test
    void tokenAuthNeedsAtLeastOneSigningKey() {
        Path empty = Jwks.write(temp.resolve("empty.json"), "{\"keys\": []}");
        Path encOnly = Jwks.write(temp.resolve("enc.json"), Jwks.jwk("enc", P256.getPublic()).put("use", "enc"));
        for (Path file : List.of(empty, encOnly)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AuthConfigurations.token(
                    "https://auth.test/token", "registry.test", "issuer", Optional.empty(), Optional.of(file),
                    Optional.empty()));
            assertTrue(e.getMessage().startsWith("token auth requires at least one token signing key: the JWK Set "
                    + file + " has none"), e.getMessage());
        }
    }
}
