package org.stevedore.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.TarImage;
import io.undertow.server.HttpHandler;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stevedore.auth.AuthConfigurations;
import org.stevedore.auth.htpasswd.Bcrypt;
import org.stevedore.model.Digest;
import org.stevedore.registry.FaultMatch;
import org.stevedore.registry.Registry;
import org.stevedore.registry.fixtures.ImageSpec;
import org.stevedore.registry.fixtures.PushedImage;

/**
 * Each fault CI meets, against a real client: what the client does about it. Where a client
 * gives up rather than retrying (skopeo 1.9 on a cut body or a revoked token, Jib on a 429), the
 * test pins that it fails clearly, naming the cause, and that the next run succeeds.
 */
class FaultsClientsIT {
    private static final FaultMatch BLOB_GETS = FaultMatch.any().method("GET").route(FaultMatch.Route.BLOB);

    @TempDir
    Path work;

    @Test
    void skopeoWaitsOutA429WithRetryAfterAndSucceeds() throws Exception {
        try (Registry registry = Registry.builder().start()) {
            PushedImage image = registry.fixtures().pushImage("limited/app", "1", ImageSpec.layers(50_000, 60_000).seed(1));
            registry.faults().rateLimitNext(2, BLOB_GETS.repository("limited/app"), Duration.ofSeconds(1));
            Path pulled = work.resolve("pulled");
            Skopeo.in(work.resolve("skopeo")).copy("docker://" + registry.hostPort() + "/limited/app:1",
                    "oci:" + pulled + ":1", "--src-tls-verify=false", "--retry-times=3");
            assertEquals(2, registry.faults().triggered(), "both 429s were answered");
            assertEquals(image.manifest().toString(), OciLayoutReader.read(pulled, "1").manifestDigest());
        }
    }

    @Test
    void skopeoRefusesACorruptedBlobWithADigestError() throws Exception {
        try (Registry registry = Registry.builder().start()) {
            registry.fixtures().pushImage("corrupt/app", "1", ImageSpec.layers(100_000).randomBytes().seed(2));
            registry.faults().corruptNext(1, BLOB_GETS.repository("corrupt/app"));
            Processes.Result copy = Skopeo.in(work.resolve("skopeo")).tryCopy(
                    "docker://" + registry.hostPort() + "/corrupt/app:1", "oci:" + work.resolve("pulled") + ":1",
                    "--src-tls-verify=false");
            assertNotEquals(0, copy.exitCode(), copy.describe());
            assertTrue(copy.stderr().toLowerCase().contains("digest"), copy.describe());
        }
    }

    @Test
    void skopeoCompletesACopyThroughAThrottledLink() throws Exception {
        try (Registry registry = Registry.builder().start()) {
            PushedImage image = registry.fixtures().pushImage("slow/app", "1",
                    ImageSpec.layers(400_000, 400_000).randomBytes().seed(4));
            registry.faults().throttleNext(2, BLOB_GETS.repository("slow/app"), 400_000);
            Path pulled = work.resolve("pulled");
            long started = System.nanoTime();
            Skopeo.in(work.resolve("skopeo")).copy("docker://" + registry.hostPort() + "/slow/app:1",
                    "oci:" + pulled + ":1", "--src-tls-verify=false");
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertEquals(2, registry.faults().triggered(), "both layers came through the slow link");
            assertTrue(took.toMillis() >= 900, "400 kB at 400 kB/s take a second, the copy took " + took.toMillis() + " ms");
            assertEquals(image.manifest().toString(), OciLayoutReader.read(pulled, "1").manifestDigest());
        }
    }

    /** skopeo 1.9 does not resume or retry a blob cut short, even with --retry-times: it names the short read. */
    @Test
    void skopeoFailsClearlyOnATruncatedBlobAndTheNextCopySucceeds() throws Exception {
        try (Registry registry = Registry.builder().start()) {
            PushedImage image = registry.fixtures().pushImage("cut/app", "1", ImageSpec.layers(100_000).randomBytes().seed(5));
            registry.faults().truncateNext(1, BLOB_GETS.repository("cut/app"), 10_000);
            Skopeo skopeo = Skopeo.in(work.resolve("skopeo"));
            String source = "docker://" + registry.hostPort() + "/cut/app:1";
            Path pulled = work.resolve("pulled");
            Processes.Result cut = skopeo.tryCopy(source, "oci:" + pulled + ":1", "--src-tls-verify=false", "--retry-times=3");
            assertNotEquals(0, cut.exitCode(), cut.describe());
            assertTrue(cut.stderr().contains("unexpected EOF"), cut.describe());
            assertEquals(1, registry.faults().triggered());

            skopeo.copy(source, "oci:" + pulled + ":1", "--src-tls-verify=false");
            assertEquals(image.manifest().toString(), OciLayoutReader.read(pulled, "1").manifestDigest());
        }
    }

    /**
     * Jib 0.27 does not retry a 429 (it reports the status, the URL and the registry's error); once
     * the limit has passed, the same pull succeeds.
     */
    @Test
    void jibReportsA429AndPullsOnceTheLimitHasPassed() throws Exception {
        try (Registry registry = Registry.builder().start()) {
            PushedImage image = registry.fixtures().pushImage("limited/jib", "1", ImageSpec.layers(50_000).seed(6));
            registry.faults().rateLimitNext(1, BLOB_GETS.repository("limited/jib"), Duration.ofSeconds(1));
            String reference = registry.hostPort() + "/limited/jib:1";
            Exception limited = assertThrows(Exception.class, () -> JibPull.layerDigests(reference, work.resolve("jib")));
            assertTrue(String.valueOf(limited.getMessage()).contains("429 Too Many Requests")
                    && limited.getMessage().contains("TOOMANYREQUESTS"), limited.toString());
            assertEquals(1, registry.faults().triggered());

            List<String> layers = JibPull.layerDigests(reference, work.resolve("jib-again"));
            assertEquals(image.layers().stream().map(Digest::toString).toList(), layers);
        }
    }

    @Test
    void jibFetchesANewTokenWhenItsTokenExpiresMidPull() throws Exception {
        Path htpasswd = Files.writeString(work.resolve("htpasswd"), "ci:" + Bcrypt.hash("ci-pw", 4) + "\n");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort(); // the realm names the registry's own port
        }
        AuthConfigurations.BuiltInTokenServer tokens = AuthConfigurations.builtInToken(
                URI.create("http://127.0.0.1:" + port + "/token"), "stevedore", "stevedore", htpasswd, Optional.empty());
        AtomicInteger tokenRequests = new AtomicInteger();
        HttpHandler countingEndpoint = exchange -> {
            tokenRequests.incrementAndGet();
            tokens.endpoint().handleRequest(exchange);
        };
        String previous = System.setProperty("sendCredentialsOverHttp", "true");
        try (Registry registry = Registry.builder().port(port).accessController(tokens.controller())
                .extraRoute(tokens.path(), countingEndpoint).start()) {
            PushedImage image = registry.fixtures().pushImage("tokens/app", "1", ImageSpec.layers(40_000).seed(3));
            registry.faults().expireTokensOnNext(1, BLOB_GETS.repository("tokens/app"));
            Jib.from(RegistryImage.named(registry.hostPort() + "/tokens/app:1").addCredential("ci", "ci-pw"))
                    .containerize(Containerizer.to(TarImage.at(work.resolve("pulled.tar")).named("pulled:1"))
                            .setAllowInsecureRegistries(true)
                            .setBaseImageLayersCache(work.resolve("jib-cache"))
                            .setApplicationLayersCache(work.resolve("jib-app-cache")));
            assertEquals(1, registry.faults().triggered(), "the tokens expired under a blob GET");
            assertTrue(tokenRequests.get() >= 2, "Jib fetched a new token: " + tokenRequests.get() + " token requests");
            Digest layer = image.layers().get(0);
            assertTrue(Files.size(work.resolve("pulled.tar")) > 40_000, "the layer " + layer + " arrived");
        } finally {
            if (previous == null) System.clearProperty("sendCredentialsOverHttp");
            else System.setProperty("sendCredentialsOverHttp", previous);
        }
    }

    /**
     * skopeo 1.9 keeps a token until its {@code expires_in} runs out and does not fetch a new one
     * on a 401: a token revoked mid-pull fails the copy, reported (by containers/image) as a 401
     * with the registry's "authentication required". The next copy fetches a token dated after the
     * expiry, which the registry accepts.
     */
    @Test
    void skopeoFailsOnATokenRevokedMidPullAndTheNextCopyGetsANewOne() throws Exception {
        Path htpasswd = Files.writeString(work.resolve("htpasswd"), "ci:" + Bcrypt.hash("ci-pw", 4) + "\n");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        AuthConfigurations.BuiltInTokenServer tokens = AuthConfigurations.builtInToken(
                URI.create("http://127.0.0.1:" + port + "/token"), "stevedore", "stevedore", htpasswd, Optional.empty());
        AtomicInteger tokenRequests = new AtomicInteger();
        HttpHandler countingEndpoint = exchange -> {
            tokenRequests.incrementAndGet();
            tokens.endpoint().handleRequest(exchange);
        };
        try (Registry registry = Registry.builder().port(port).accessController(tokens.controller())
                .extraRoute(tokens.path(), countingEndpoint).start()) {
            PushedImage image = registry.fixtures().pushImage("tokens/skopeo", "1", ImageSpec.layers(40_000).seed(7));
            registry.faults().expireTokensOnNext(1, BLOB_GETS.repository("tokens/skopeo"));
            Skopeo skopeo = Skopeo.in(work.resolve("skopeo"));
            String source = "docker://" + registry.hostPort() + "/tokens/skopeo:1";
            Path pulled = work.resolve("pulled");
            Processes.Result revoked = skopeo.tryCopy(source, "oci:" + pulled + ":1", "--src-tls-verify=false",
                    "--src-creds", "ci:ci-pw");
            assertNotEquals(0, revoked.exitCode(), revoked.describe());
            assertTrue(revoked.stderr().contains("authentication required"), revoked.describe());
            assertEquals(1, registry.faults().triggered());
            int before = tokenRequests.get();

            skopeo.copy(source, "oci:" + pulled + ":1", "--src-tls-verify=false", "--src-creds", "ci:ci-pw");
            assertTrue(tokenRequests.get() > before, "the second copy fetched a new token");
            assertEquals(image.manifest().toString(), OciLayoutReader.read(pulled, "1").manifestDigest());
        }
    }
}
