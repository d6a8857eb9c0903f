package org.stevedore.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stevedore.policies.Glob;
import org.stevedore.policies.ImmutableRule;
import org.stevedore.policies.ImmutableTags;
import org.stevedore.registry.Registry;

/**
 * Immutable tags as skopeo shows them: pushing another image over a release tag and deleting it
 * fail, and what skopeo prints names the tag and the rule; the same image pushed again succeeds.
 */
class ImmutableTagsSkopeoIT {
    @TempDir
    static Path work;
    private static Registry registry;
    private static Skopeo skopeo;

    @BeforeAll
    static void start() throws Exception {
        skopeo = Skopeo.in(work.resolve("skopeo"));
        registry = Registry.builder().manifestGuard(new ImmutableTags(List.of(
                new ImmutableRule("policies.immutable[0]", Glob.of("prod/**"), Glob.of("v*"))))).start();
    }

    @AfterAll
    static void stop() {
        if (registry != null) registry.close();
    }

    @Test
    void skopeoShowsTheRuleWhenAReleaseTagWouldMoveOrGo() throws Exception {
        OciImage release = OciLayoutWriter.write(work.resolve("release"), "v1", 2, 11);
        OciLayoutWriter.write(work.resolve("rebuild"), "v1", 2, 12);
        String remote = "docker://" + registry.hostPort() + "/prod/app:v1";
        skopeo.copy("oci:" + work.resolve("release") + ":v1", remote, "--preserve-digests", "--dest-tls-verify=false");

        skopeo.copy("oci:" + work.resolve("release") + ":v1", remote, "--preserve-digests", "--dest-tls-verify=false");
        Processes.Result moved = skopeo.tryCopy("oci:" + work.resolve("rebuild") + ":v1", remote,
                "--preserve-digests", "--dest-tls-verify=false");
        Processes.Result deleted = skopeo.tryDelete(remote);

        assertNotEquals(0, moved.exitCode(), moved.describe());
        assertTrue(moved.stderr().contains("tag prod/app:v1 is immutable")
                && moved.stderr().contains("policies.immutable[0]"), moved.describe());
        assertNotEquals(0, deleted.exitCode(), deleted.describe());
        assertTrue(deleted.stderr().contains("cannot be deleted") && deleted.stderr().contains("policies.immutable[0]"),
                deleted.describe());
        assertEquals(release.manifestDigest(), Digests.sha256(skopeo.inspectRaw(remote)), "v1 still names the release");
    }
}
