package org.stevedore.launcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.stevedore.launcher.TokenAuthLauncher.assertInvalidToken;

import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
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
 * distribution 3's {@code auth.token.signingalgorithms} served by the real launcher: one RSA key
 * of a JWK Set signs both RS256 and PS256 tokens, so the only difference between an accepted and
 * a refused token is its {@code alg}; the list comes from config.yml or from
 * {@code REGISTRY_AUTH_TOKEN_SIGNINGALGORITHMS}, and a name Stevedore cannot verify stops the start.
 */
class SigningAlgorithmsTokenAuthTest {
    private static KeyPair rsa;

    @TempDir
    Path temp;

    @RegisterExtension
    final TokenAuthLauncher launcher = new TokenAuthLauncher();

    @BeforeAll
    static void keys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        rsa = generator.generateKeyPair();
    }

    @Test
    void aTokenSignedWithAnAllowedAlgPushesAndPulls() throws Exception {
        Registry registry = launcher.serve(config("    signingalgorithms:\n      - PS256\n      - ES256\n"), Map.of());
        byte[] manifest = launcher.pushTinyImage(registry, token(JwsAlgorithm.PS256, "pull", "push"));
        HttpResponse<byte[]> pulled = launcher.pullTinyImage(registry, token(JwsAlgorithm.PS256, "pull"));
        assertEquals(200, pulled.statusCode());
        assertArrayEquals(manifest, pulled.body());
    }

    @Test
    void aTokenSignedWithAnotherAlgGets401WithTheOciErrorAndChallenge() throws Exception {
        Registry registry = launcher.serve(config("    signingalgorithms: [PS256]\n"), Map.of());
        URI tags = registry.url().resolve("/v2/team/app/tags/list");
        assertEquals(404, launcher.send("GET", tags, token(JwsAlgorithm.PS256, "pull"), null).statusCode(),
                "PS256 is allowed; the repository is just empty");
        assertInvalidToken(launcher.send("GET", tags, token(JwsAlgorithm.RS256, "pull"), null), "RS256, same key");
    }

    @Test
    void withoutTheKeyEveryAlgorithmTheKeyFitsIsAccepted() throws Exception {
        Registry registry = launcher.serve(config(""), Map.of());
        URI tags = registry.url().resolve("/v2/team/app/tags/list");
        for (JwsAlgorithm alg : List.of(JwsAlgorithm.RS256, JwsAlgorithm.RS512, JwsAlgorithm.PS256, JwsAlgorithm.PS384)) {
            assertEquals(404, launcher.send("GET", tags, token(alg, "pull"), null).statusCode(), alg.name());
        }
    }

    @Test
    void theListMayComeFromRegistryAuthTokenSigningalgorithms() throws Exception {
        Path config = config("    signingalgorithms: [PS256]\n");
        Registry registry = launcher.serve(config, Map.of("REGISTRY_AUTH_TOKEN_SIGNINGALGORITHMS", "[RS512, RS256]"));
        URI tags = registry.url().resolve("/v2/team/app/tags/list");
        assertEquals(404, launcher.send("GET", tags, token(JwsAlgorithm.RS256, "pull"), null).statusCode());
        assertEquals(404, launcher.send("GET", tags, token(JwsAlgorithm.RS512, "pull"), null).statusCode());
        assertInvalidToken(launcher.send("GET", tags, token(JwsAlgorithm.PS256, "pull"), null),
                "the variable replaces the file's list");
    }

    @Test
    void aNameStevedoreCannotVerifyStopsTheStartNamingTheKeyAndTheValue() throws Exception {
        StringWriter err = new StringWriter();
        assertEquals(CommandLine.ExitCode.SOFTWARE, launcher.execute(config("    signingalgorithms: [RS256, HS256]\n"),
                Map.of(), err));
        assertTrue(err.toString().contains("auth.token.signingalgorithms: 'HS256' is an HMAC algorithm, which"
                + " Stevedore does not verify"), err.toString());

        err = new StringWriter();
        assertEquals(CommandLine.ExitCode.SOFTWARE, launcher.execute(config(""),
                Map.of("REGISTRY_AUTH_TOKEN_SIGNINGALGORITHMS", "[RS265]"), err));
        assertTrue(err.toString().contains("auth.token.signingalgorithms (from REGISTRY_AUTH_TOKEN_SIGNINGALGORITHMS):"
                + " 'RS265' is not a signing algorithm Stevedore verifies"), err.toString());
        assertTrue(launcher.startedNothing());
    }

    /** config.yml with token auth trusting {@link #rsa} by kid "rsa-1" (a JWK without alg), plus {@code extra}. */
    private Path config(String extra) throws Exception {
        Path jwks = TokenAuthLauncher.writeJwks(temp, TokenAuthLauncher.jwk("rsa-1", rsa.getPublic()));
        return TokenAuthLauncher.config(temp, jwks, extra);
    }

    /** A token for team/app signed by {@link #rsa} with {@code alg}, naming it by kid. */
    private static String token(JwsAlgorithm alg, String... actions) throws Exception {
        return TokenAuthLauncher.token(alg, rsa.getPrivate(), "rsa-1", "team/app", actions);
    }
}
