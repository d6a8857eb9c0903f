package org.stevedore.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stevedore.auth.htpasswd.Bcrypt;

/**
 * Stevedore (the shaded jar, configured by {@code REGISTRY_PROXY_UPSTREAMS}) as a pull-through
 * cache of two Debian {@code docker-registry} 2.8 upstreams, one open (behind a counting proxy)
 * and one with htpasswd auth, beside a hosted repository; skopeo pulls and pushes through it.
 */
class PullThroughCacheIT {
    private static final String USER = "upstream-user";
    private static final String PASSWORD = "upstream pw";

    @TempDir
    Path work;
    private Skopeo skopeo;

    @BeforeEach
    void setUp() throws Exception {
        skopeo = Skopeo.in(work.resolve("skopeo"));
    }

    @Test
    void cachesTwoUpstreamsBesideAHostedRepository() throws Exception {
        OciImage first = OciLayoutWriter.write(work.resolve("first"), "v1", 3, 31);
        OciImage moved = OciLayoutWriter.write(work.resolve("moved"), "v1", 2, 32);
        OciImage secret = OciLayoutWriter.write(work.resolve("secret"), "v1", 2, 33);
        Path htpasswd = Files.writeString(work.resolve("htpasswd"), USER + ":" + Bcrypt.hash(PASSWORD, 5) + "\n");

        DistributionProcess open = DistributionProcess.start(work.resolve("open-store"), work.resolve("open"));
        try (DistributionProcess authed = DistributionProcess.start(work.resolve("authed-store"), work.resolve("authed"),
                     "auth:\n  htpasswd:\n    realm: upstream\n    path: " + htpasswd + "\n");
             CountingProxy counting = new CountingProxy(open.url())) {
            skopeo.copy("oci:" + work.resolve("first") + ":v1", "docker://" + open.hostPort() + "/library/app:v1",
                    "--preserve-digests", "--dest-tls-verify=false");
            skopeo.copy("oci:" + work.resolve("secret") + ":v1", "docker://" + authed.hostPort() + "/team/app:v1",
                    "--preserve-digests", "--dest-tls-verify=false", "--dest-creds=" + USER + ":" + PASSWORD);

            try (StevedoreProcess stevedore = StevedoreProcess.start(work.resolve("stevedore"), Map.of(
                    "REGISTRY_PROXY_UPSTREAMS", "[{prefix: hub/, remoteurl: '" + counting.url() + "', ttl: 2s},"
                            + " {prefix: private/, remoteurl: '" + authed.url() + "', username: " + USER
                            + ", password: '" + PASSWORD + "'}]"))) {
                String host = stevedore.hostPort();
                assertTrue(stevedore.output().contains("pull-through cache of [hub/ -> " + counting.url()),
                        stevedore.output());

                // Identical digests through the cache, and a second pull stays local.
                assertPullsIdentical(first, "docker://" + host + "/hub/library/app:v1", "pull-1");
                int blobGets = counting.blobGets();
                assertEquals(first.blobDigests().size(), blobGets, "each blob fetched once");
                assertPullsIdentical(first, "docker://" + host + "/hub/library/app:v1", "pull-2");
                assertEquals(blobGets, counting.blobGets(), "the second pull fetched blobs upstream");

                // Tag lists come from the upstream, as in distribution's proxy.
                assertTrue(skopeo.listTags("docker://" + host + "/hub/library/app").contains("\"v1\""));

                // The htpasswd upstream, with the configured credentials.
                assertPullsIdentical(secret, "docker://" + host + "/private/team/app:v1", "pull-secret");

                // The tag moves upstream; after the 2 s TTL the cache shows the move (bounded polling).
                skopeo.copy("oci:" + work.resolve("moved") + ":v1", "docker://" + open.hostPort() + "/library/app:v1",
                        "--preserve-digests", "--dest-tls-verify=false");
                awaitManifest(moved, "docker://" + host + "/hub/library/app:v1", Duration.ofSeconds(30));
                assertPullsIdentical(moved, "docker://" + host + "/hub/library/app:v1", "pull-moved");

                // The upstream stops: what is cached still pulls.
                open.close();
                assertPullsIdentical(moved, "docker://" + host + "/hub/library/app:v1", "pull-offline");
                assertPullsIdentical(first, "docker://" + host + "/hub/library/app@" + first.manifestDigest(),
                        "pull-offline-digest");

                // A hosted repository on the same Stevedore takes pushes; a proxied one refuses them.
                skopeo.copy("oci:" + work.resolve("first") + ":v1", "docker://" + host + "/team/hosted:v1",
                        "--preserve-digests", "--dest-tls-verify=false");
                assertPullsIdentical(first, "docker://" + host + "/team/hosted:v1", "pull-hosted");
                Processes.Result refused = skopeo.tryCopy("oci:" + work.resolve("first") + ":v1",
                        "docker://" + host + "/hub/library/pushed:v1", "--dest-tls-verify=false");
                assertNotEquals(0, refused.exitCode());
                RegistryHttp http = new RegistryHttp(URI.create("http://" + host));
                HttpResponse<byte[]> post = http.send(HttpRequest.newBuilder(
                        http.resolve("/v2/hub/library/pushed/blobs/uploads/")).POST(HttpRequest.BodyPublishers.noBody()));
                assertEquals(405, post.statusCode());
                assertTrue(new String(post.body()).contains("\"code\":\"UNSUPPORTED\""), new String(post.body()));
            }
        } finally {
            open.close();
        }
    }

    private void assertPullsIdentical(OciImage image, String remote, String directory) throws Exception {
        Path copy = work.resolve(directory);
        skopeo.copy(remote, "oci:" + copy + ":v1", "--src-tls-verify=false");
        image.assertSameAs(OciLayoutReader.read(copy, "v1"));
        assertArrayEquals(image.manifest(), skopeo.inspectRaw(remote), "inspect --raw");
    }

    private void awaitManifest(OciImage image, String remote, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Arrays.equals(image.manifest(), skopeo.inspectRaw(remote))) {
            if (System.nanoTime() > deadline) fail("the moved tag did not show within " + timeout);
            Thread.sleep(200);
        }
    }
}
