package org.stevedore.auth.token;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Signature;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.stevedore.auth.Access;
import org.stevedore.auth.Action;
import org.stevedore.model.RepositoryName;

/** Signature encodings, key ids and scope strings, checked against independent tools. */
class JwsPrimitivesTest {

    @Test
    void es256SignaturesAreRawAndVerifyAfterConversion() throws Exception {
        KeyPair keys = TestTokenServer.generate("EC");
        byte[] input = "header.claims".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 50; i++) { // covers R or S with leading zero bytes and high bits
            byte[] raw = JwsAlgorithm.ES256.sign(keys.getPrivate(), input);
            assertEquals(64, raw.length);
            assertTrue(JwsAlgorithm.ES256.verify(keys.getPublic(), input, raw));
            assertArrayEquals(raw, JwsAlgorithm.derToRaw(JwsAlgorithm.rawToDer(raw)));
            Signature jca = Signature.getInstance("SHA256withECDSA");
            jca.initVerify(keys.getPublic());
            jca.update(input);
            assertTrue(jca.verify(JwsAlgorithm.rawToDer(raw)));
            raw[5] ^= 1;
            assertFalse(JwsAlgorithm.ES256.verify(keys.getPublic(), input, raw));
        }
        assertFalse(JwsAlgorithm.ES256.verify(keys.getPublic(), input, new byte[63]));
        assertFalse(JwsAlgorithm.RS256.verify(keys.getPublic(), input, new byte[64]), "RS256 with an EC key");
    }

    @Test
    void es384AndEs512SignaturesHaveFullSizeHalvesAndLongFormDer() throws Exception {
        byte[] input = "header.claims".getBytes(StandardCharsets.US_ASCII);
        Object[][] cases = {{JwsAlgorithm.ES384, "secp384r1", 96, "SHA384withECDSA"},
            {JwsAlgorithm.ES512, "secp521r1", 132, "SHA512withECDSA"}};
        for (Object[] c : cases) {
            JwsAlgorithm algorithm = (JwsAlgorithm) c[0];
            KeyPair keys = Jwks.ec((String) c[1]);
            for (int i = 0; i < 20; i++) {
                byte[] raw = algorithm.sign(keys.getPrivate(), input);
                assertEquals(c[2], raw.length, algorithm.name());
                Signature jca = Signature.getInstance((String) c[3]);
                jca.initVerify(keys.getPublic());
                jca.update(input);
                assertTrue(jca.verify(JwsAlgorithm.rawToDer(raw)), algorithm.name());
                assertTrue(algorithm.verify(keys.getPublic(), input, raw));
                raw[raw.length - 1] ^= 1;
                assertFalse(algorithm.verify(keys.getPublic(), input, raw));
            }
            assertFalse(JwsAlgorithm.ES256.verify(keys.getPublic(), input, new byte[64]), "ES256 needs a P-256 key");
        }
    }

    @Test
    void libtrustKeyIdMatchesOpensslAndBase32() throws Exception {
        KeyPair keys = TestTokenServer.generate("EC");
        String kid = KeyIds.libtrust(keys.getPublic());
        assertTrue(Pattern.matches("([A-Z2-7]{4}:){11}[A-Z2-7]{4}", kid), kid);
        // The same id from the DER key with coreutils: sha256, first 30 bytes, base32, groups of four.
        Process process = new ProcessBuilder("sh", "-c",
                "openssl dgst -sha256 -binary | head -c 30 | base32 -w0").start();
        process.getOutputStream().write(keys.getPublic().getEncoded());
        process.getOutputStream().close();
        String base32 = new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        assertEquals(base32.replaceAll("(.{4})(?!$)", "$1:"), kid);
    }

    @Test
    void scopesParseAndFormatAsDistributionWritesThem() {
        List<TokenAccess> parsed = Scopes.parse("repository:team/app:pull,push  registry:catalog:* "
                + "repository(plugin):x/y:pull repository:localhost:5000/a:pull bad: ::");
        assertEquals(List.of(new TokenAccess("repository", "team/app", java.util.Set.of("pull", "push")),
                new TokenAccess("registry", "catalog", java.util.Set.of("*")),
                new TokenAccess("repository", "x/y", java.util.Set.of("pull")),
                new TokenAccess("repository", "localhost:5000/a", java.util.Set.of("pull"))), parsed);
        RepositoryName app = RepositoryName.of("team/app");
        assertEquals("repository:team/app:pull,push repository:other/src:pull", Scopes.format(List.of(
                Access.repository(app, Action.PULL), Access.repository(app, Action.PUSH),
                Access.repository(RepositoryName.of("other/src"), Action.PULL))));
    }
}
