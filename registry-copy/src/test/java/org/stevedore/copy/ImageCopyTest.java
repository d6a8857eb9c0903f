package org.stevedore.copy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stevedore.auth.AuthConfigurations;
import org.stevedore.auth.htpasswd.Bcrypt;
import org.stevedore.model.Digest;
import org.stevedore.registry.FaultMatch;
import org.stevedore.registry.Registry;
import org.stevedore.registry.fixtures.ImageSpec;
import org.stevedore.registry.fixtures.Platform;
import org.stevedore.registry.fixtures.PushedImage;
import org.stevedore.registry.fixtures.PushedIndex;
import org.stevedore.tls.SelfSignedTls;

/**
 * Copies between two in-process registries, one with Basic users and one with the built-in token
 * server, and OCI layouts: exact digests, retries through 429s and dropped connections, mounts.
 */
class ImageCopyTest {
    private static final Retry FAST = new Retry(4, Duration.ofMillis(20), Duration.ofSeconds(2));

    @TempDir
    Path work;
    private Registry basic;
    private Registry tokens;

    @BeforeEach
    void start() throws Exception {
        basic = Registry.builder().users(Map.of("ci", "ci-pw")).start();
        Path htpasswd = Files.writeString(work.resolve("htpasswd"), "ci:" + Bcrypt.hash("ci-pw", 4) + "\n");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        AuthConfigurations.BuiltInTokenServer server = AuthConfigurations.builtInToken(
                URI.create("http://127.0.0.1:" + port + "/token"), "stevedore", "stevedore", htpasswd, Optional.empty());
        tokens = Registry.builder().port(port).accessController(server.controller())
                .extraRoute(server.path(), server.endpoint()).start();
    }

    @AfterEach
    void stop() {
        basic.close();
        tokens.close();
    }

    private CopyOptions options() {
        Optional<Credentials> ci = Optional.of(new Credentials("ci", "ci-pw"));
        return CopyOptions.DEFAULT.withAuth(ci, ci).withRetry(FAST);
    }

    @Test
    void copiesFromBasicToTokenAuthThrough429sDroppedConnectionsAndCutBodies() throws Exception {
        PushedImage image = basic.fixtures().pushImage("src/app", "1", ImageSpec.layers(100_000, 3 << 20, 10).seed(1));
        basic.faults().rateLimitNext(2, FaultMatch.any().method("GET").route(FaultMatch.Route.BLOB), Duration.ZERO)
                .disconnectNext(1, FaultMatch.any().method("GET").route(FaultMatch.Route.BLOB))
                .truncateNext(1, FaultMatch.any().method("GET").route(FaultMatch.Route.BLOB), 1000);
        tokens.faults().failNext(1, FaultMatch.any().method("PUT").route(FaultMatch.Route.MANIFEST), 503);

        ImageCopy.Result result = ImageCopy.copy("docker://" + basic.hostPort() + "/src/app:1",
                "docker://" + tokens.hostPort() + "/dst/app:2", options());
        assertEquals(image.manifest(), result.digest());
        assertEquals(4, result.blobsSent());
        assertEquals(4, basic.faults().triggered(), "two 429s, a dropped connection and a cut body were retried");
        assertEquals(1, tokens.faults().triggered(), "the failed manifest PUT was retried");
        assertArrayEquals(image.manifestBytes(), tokens.contents().manifest("dst/app", "2").orElseThrow().bytes());
        for (Digest layer : image.layers()) assertTrue(tokens.contents().hasBlob("dst/app", layer));
    }

    @Test
    void anIndexGoesWholeWithAllOrAsOnePlatform() throws Exception {
        PushedIndex index = basic.fixtures().pushIndex("src/multi", "1", ImageSpec.layers(1000).seed(2),
                Platform.LINUX_AMD64, Platform.LINUX_ARM64);
        tokens.faults().expireTokensOnNext(1, FaultMatch.any().method("PUT").route(FaultMatch.Route.MANIFEST));
        ImageCopy.Result all = ImageCopy.copy("docker://" + basic.hostPort() + "/src/multi:1",
                "docker://" + tokens.hostPort() + "/dst/multi:1", options().withAll(true));
        assertEquals(index.index(), all.digest());
        assertEquals(1, tokens.faults().triggered(), "the token expired under a manifest PUT and a new one was fetched");
        for (PushedImage image : index.images()) {
            assertTrue(tokens.contents().manifest("dst/multi", image.manifest().toString()).isPresent());
        }
        ImageCopy.Result one = ImageCopy.copy("docker://" + basic.hostPort() + "/src/multi:1",
                "docker://" + tokens.hostPort() + "/dst/amd64:1", options());
        assertEquals(index.images().get(0).manifest(), one.digest(), "linux/amd64 by default");
    }

    @Test
    void referrersFollowTheImageWhenAsked() throws Exception {
        PushedImage image = basic.fixtures().pushImage("src/signed", "1", 500);
        PushedImage signature = basic.fixtures().pushArtifact("src/signed", image.manifest(),
                "application/vnd.example.signature", "signed".getBytes(StandardCharsets.UTF_8));
        ImageCopy.copy("docker://" + basic.hostPort() + "/src/signed:1", "docker://" + tokens.hostPort() + "/dst/plain:1",
                options());
        assertTrue(tokens.contents().manifest("dst/plain", signature.manifest().toString()).isEmpty());
        ImageCopy.copy("docker://" + basic.hostPort() + "/src/signed:1", "docker://" + tokens.hostPort() + "/dst/signed:1",
                options().withReferrers(true));
        assertArrayEquals(signature.manifestBytes(),
                tokens.contents().manifest("dst/signed", signature.manifest().toString()).orElseThrow().bytes());
    }

    @Test
    void sameRegistryCopiesMountInsteadOfSending() throws Exception {
        PushedImage image = tokens.fixtures().pushImage("team/a", "1", 5000, 6000);
        java.util.List<String> outcomes = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        ImageCopy.Result result = ImageCopy.copy("docker://" + tokens.hostPort() + "/team/a:1",
                "docker://" + tokens.hostPort() + "/team/b:1", options(), (digest, size, outcome) -> outcomes.add(outcome));
        assertEquals(3, result.blobsMounted());
        assertEquals(java.util.List.of("mounted", "mounted", "mounted"), outcomes, "progress hears of each blob");
        assertEquals(0, result.blobsSent());
        assertEquals(image.manifest(), tokens.contents().manifest("team/b", "1").orElseThrow().digest());
    }

    @Test
    void throughAnOciLayoutAndBackWithStoredCredentials() throws Exception {
        PushedImage image = basic.fixtures().pushImage("src/app", "1", 2000, 3000);
        Path authFile = Files.writeString(work.resolve("auth.json"), "{\"auths\":{\"" + basic.hostPort() + "\":{\"auth\":\""
                + Base64.getEncoder().encodeToString("ci:ci-pw".getBytes(StandardCharsets.UTF_8)) + "\"}}}");
        CopyOptions stored = new CopyOptions(false, Optional.empty(), 2, FAST, Optional.empty(), Optional.empty(),
                true, true, Map.of("REGISTRY_AUTH_FILE", authFile.toString()), false);
        Path layout = work.resolve("layout");
        assertEquals(image.manifest(), ImageCopy.copy("docker://" + basic.hostPort() + "/src/app:1",
                "oci:" + layout + ":v1", stored).digest());
        assertEquals(image.manifest(), ImageCopy.copy("oci:" + layout + ":v1",
                "docker://" + basic.hostPort() + "/back/app:1", stored).digest());
        assertArrayEquals(image.manifestBytes(), basic.contents().manifest("back/app", "1").orElseThrow().bytes());
    }

    /** Docker's loopback rule: HTTPS when the registry speaks it (any certificate), plain HTTP otherwise. */
    @Test
    void aLoopbackRegistryWithASelfSignedCertificateIsReachedOverHttps() throws Exception {
        try (Registry secure = Registry.builder().tls(SelfSignedTls.forLoopback().serverContext()).start()) {
            PushedImage image = secure.fixtures().pushImage("tls/app", "1", 1000);
            ImageCopy.Result result = ImageCopy.copy("docker://" + secure.hostPort() + "/tls/app:1",
                    "docker://" + basic.hostPort() + "/plain/app:1", options());
            assertEquals(image.manifest(), result.digest());
            assertEquals(1, secure.events().ofType(org.stevedore.registry.RegistryEvent.Type.PULL).size());
        }
    }

    @Test
    void wrongCredentialsFailWithTheRegistrysAnswer() {
        CopyOptions wrong = CopyOptions.DEFAULT.withAuth(Optional.of(new Credentials("ci", "nope")), Optional.empty())
                .withRetry(FAST);
        basic.fixtures().pushImage("src/app", "1", 10);
        CopyException refused = assertThrows(CopyException.class, () -> ImageCopy.copy(
                "docker://" + basic.hostPort() + "/src/app:1", "oci:" + work.resolve("x") + ":1", wrong));
        assertTrue(refused.getMessage().contains("401"), refused.getMessage());
    }
}
