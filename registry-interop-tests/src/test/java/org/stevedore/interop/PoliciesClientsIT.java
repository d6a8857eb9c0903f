package org.stevedore.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stevedore.policies.Glob;
import org.stevedore.policies.ImmutableRule;
import org.stevedore.policies.Policies;
import org.stevedore.policies.QuotaRule;
import org.stevedore.policies.RetentionPolicy;
import org.stevedore.registry.Registry;
import org.stevedore.storage.StorageDriver;
import org.stevedore.storage.memory.InMemoryDriver;

/**
 * Policies as real clients meet them: docker and podman print the immutable-tag refusal (rule
 * and tag named) when a push would move a release tag; skopeo's multi-layer push refused by a
 * quota fails with "used X of Y" and leaves no tag and no manifest behind.
 */
class PoliciesClientsIT {
    private static final long QUOTA = 150_000;

    @TempDir
    static Path work;
    private static Registry registry;

    @BeforeAll
    static void start() {
        StorageDriver storage = InMemoryDriver.create();
        Policies policies = new Policies(
                List.of(new ImmutableRule("policies.immutable[0]", Glob.of("prod/**"), Glob.of("v*"))),
                List.of(new QuotaRule("policies.quotas[0]", Glob.of("ci/**"), QUOTA)), RetentionPolicy.NONE);
        registry = Registry.builder().storage(storage).manifestGuard(policies.guard(storage, 4 << 20)).start();
    }

    @AfterAll
    static void stop() {
        if (registry != null) registry.close();
    }

    @Test
    void dockerShowsTheImmutableTagRefusal() throws Exception {
        try (DockerDaemon docker = DockerDaemon.start(work.resolve("docker"))) {
            String image = registry.hostPort() + "/prod/docker:v1";
            docker.run("import", tarball("docker-release", "release").toString(), image);
            docker.run("push", image);
            docker.run("import", tarball("docker-rebuild", "rebuild").toString(), image);

            Processes.Result moved = docker.tryRun("push", image);

            assertNotEquals(0, moved.exitCode(), moved.describe());
            assertTrue(moved.stderr().contains("tag prod/docker:v1 is immutable")
                    && moved.stderr().contains("rule policies.immutable[0]"), moved.describe());
        }
    }

    @Test
    void podmanShowsTheImmutableTagRefusal() throws Exception {
        Podman podman = Podman.in(work.resolve("podman"));
        String image = registry.hostPort() + "/prod/podman:v1";
        podman.run("import", tarball("podman-release", "release").toString(), image);
        podman.run("push", "--tls-verify=false", image);
        podman.run("import", tarball("podman-rebuild", "rebuild").toString(), image);

        Processes.Result moved = podman.tryRun("push", "--tls-verify=false", image);

        assertNotEquals(0, moved.exitCode(), moved.describe());
        assertTrue(moved.stderr().contains("tag prod/podman:v1 is immutable")
                && moved.stderr().contains("rule policies.immutable[0]"), moved.describe());
    }

    @Test
    void skopeoPushRefusedByTheQuotaMidwayLeavesNothingVisible() throws Exception {
        Skopeo skopeo = Skopeo.in(work.resolve("skopeo"));
        // A first image takes part of the quota.
        OciImage small = OciLayoutWriter.write(work.resolve("small"), "1", 1, 22, false);
        skopeo.copy("oci:" + work.resolve("small") + ":1", "docker://" + registry.hostPort() + "/ci/app:1",
                "--preserve-digests", "--dest-tls-verify=false");
        // Eight layers of 8 to 72 KiB each: more than what is left together, most fit alone.
        OciImage big = OciLayoutWriter.write(work.resolve("big"), "2", 8, 21, false);
        long total = 0;
        for (String layer : big.layerDigests()) {
            total += Files.size(work.resolve("big/blobs/sha256/" + layer.substring("sha256:".length())));
        }
        assertTrue(total > QUOTA, "the image is larger than the quota: " + total);

        Processes.Result refused = skopeo.tryCopy("oci:" + work.resolve("big") + ":2",
                "docker://" + registry.hostPort() + "/ci/app:2", "--preserve-digests", "--dest-tls-verify=false");

        assertNotEquals(0, refused.exitCode(), refused.describe());
        assertTrue(refused.stderr().contains("denied: quota exceeded: repository ci/app used ")
                && refused.stderr().contains(" of 146.5 KiB (") && refused.stderr().contains("policies.quotas[0]"),
                refused.describe());
        assertEquals(List.of("1"), registry.contents().tags("ci/app"), "no new tag");
        assertEquals(List.of(org.stevedore.model.Digest.parse(small.manifestDigest())),
                registry.contents().manifests("ci/app"), "no new manifest");
        assertFalse(registry.contents().manifest("ci/app", big.manifestDigest()).isPresent());
        assertEquals(1, skopeo.tryCopy("docker://" + registry.hostPort() + "/ci/app:2", "oci:" + work.resolve("pulled") + ":2",
                "--src-tls-verify=false").exitCode(), "nothing to pull");
    }

    /** A one-file root filesystem to {@code import}; different text, different image. */
    private static Path tarball(String name, String text) throws Exception {
        return Files.write(work.resolve(name + ".tar"),
                Tar.write(Map.of("etc/release.txt", (text + "\n").getBytes(StandardCharsets.UTF_8))));
    }
}
