package org.stevedore.policies;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stevedore.model.ManifestParser;
import org.stevedore.registry.Registry;
import org.stevedore.registry.fixtures.ImageSpec;
import org.stevedore.registry.fixtures.Platform;
import org.stevedore.registry.fixtures.PushedImage;
import org.stevedore.storage.fs.FilesystemDriver;

/** The integrity check finds what a test plants in a filesystem store, and nothing in a sound one. */
class VerifierTest {
    @TempDir
    Path root;
    private Registry registry;

    @AfterEach
    void stop() {
        if (registry != null) registry.close();
    }

    @Test
    void aSoundStoreHasNoFindingsAndPlantedDamageIsFound() throws Exception {
        registry = Registry.builder().storage(FilesystemDriver.at(root)).start();
        PushedImage app = registry.fixtures().pushImage("team/app", "v1", ImageSpec.layers(3000, 200).seed(1));
        PushedImage tool = registry.fixtures().pushImage("team/tool", "v1", ImageSpec.layers(500).seed(2));
        registry.fixtures().pushIndex("team/multi", "v1", ImageSpec.layers(100).seed(3), Platform.LINUX_AMD64,
                Platform.LINUX_ARM64);
        registry.fixtures().pushArtifact("team/app", app.manifest(), "application/spdx+json",
                "sbom".getBytes(StandardCharsets.UTF_8));

        Verifier.Report sound = new Verifier(registry.service()).run(finding -> { });
        assertEquals(List.of(), sound.findings());
        assertEquals(3, sound.repositories());

        Path v2 = root.resolve("docker/registry/v2");
        var corrupt = app.layers().get(0);
        Files.write(v2.resolve("blobs/sha256/" + corrupt.encoded().substring(0, 2) + "/" + corrupt.encoded() + "/data"),
                new byte[] {1, 2, 3});
        var missing = tool.layers().get(0);
        Files.delete(v2.resolve("blobs/sha256/" + missing.encoded().substring(0, 2) + "/" + missing.encoded() + "/data"));
        var nowhere = ManifestParser.sha256("never pushed".getBytes(StandardCharsets.UTF_8));
        Path dangling = Files.createDirectories(v2.resolve("repositories/team/tool/_manifests/tags/ghost/current"));
        Files.writeString(dangling.resolve("link"), nowhere.toString());

        Verifier.Report damaged = new Verifier(registry.service()).run(finding -> { });

        assertEquals(List.of(
                "corrupt-blob " + corrupt + ": its bytes hash to " + ManifestParser.sha256(new byte[] {1, 2, 3}),
                "missing-blob team/tool blob " + missing + ": referenced by manifest " + tool.manifest()
                        + ", not in the blob store",
                "dangling-tag team/tool tag ghost: points at " + nowhere + ", which the repository does not hold"),
                damaged.findings().stream().map(Verifier.Finding::line).toList());
    }
}
