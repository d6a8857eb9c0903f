package org.stevedore.policies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stevedore.model.Digest;
import org.stevedore.model.ManifestParser;
import org.stevedore.model.RepositoryName;
import org.stevedore.model.Tag;
import org.stevedore.registry.Registry;
import org.stevedore.registry.fixtures.ImageSpec;
import org.stevedore.registry.fixtures.Platform;
import org.stevedore.registry.fixtures.PushedImage;
import org.stevedore.registry.fixtures.PushedIndex;
import org.stevedore.service.GarbageCollector;
import org.stevedore.storage.fs.FilesystemDriver;

/**
 * Retention on a realistic store (filesystem): a multi-platform index with a signature and an
 * SBOM, images sharing layers, several tags on one digest, untagged manifests. The dry run lists
 * every decision and deletes nothing; the run deletes exactly what it listed; after garbage
 * collection every kept image still pulls completely over HTTP.
 */
class RetentionRunTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String SIGNATURE = "application/vnd.dev.cosign.artifact.sig.v1+json";
    private static final String SBOM = "application/spdx+json";

    @TempDir
    Path storage;
    private Registry registry;

    @AfterEach
    void stop() {
        if (registry != null) registry.close();
    }

    @Test
    void theRunDoesWhatTheDryRunPrintedAndKeptImagesPullCompletely() throws Exception {
        Policies policies = new Policies(List.of(new ImmutableRule("policies.immutable[0]", Glob.of("ci/**"),
                Glob.of("stable"))), new RetentionPolicy(Optional.empty(), false, List.of(new RetentionRule(
                "policies.retention.rules[0]", Glob.of("ci/**"), 1, List.of(Glob.of("release-*")), Optional.empty(),
                Optional.of(Duration.ofHours(24))))));
        registry = Registry.builder().storage(FilesystemDriver.at(storage)).manifestGuard(policies.immutableTags()).start();
        var fixtures = registry.fixtures();

        PushedIndex release = fixtures.pushIndex("ci/app", "release-1", ImageSpec.layers(2000, 300).seed(1),
                Platform.LINUX_AMD64, Platform.LINUX_ARM64);
        PushedImage indexSignature = fixtures.pushArtifact("ci/app", release.index(), SIGNATURE, bytes("sig-index"));
        PushedImage childSbom = fixtures.pushArtifact("ci/app", release.images().get(0).manifest(), SBOM, bytes("sbom"));
        Thread.sleep(30);
        // build-1 and its alias share one digest and, with the arm64 build below, its layers.
        PushedImage build1 = fixtures.pushImage("ci/app", "build-1", ImageSpec.layers(1500, 200).seed(7));
        fixtures.pushImage("ci/app", "build-1-alias", ImageSpec.layers(1500, 200).seed(7));
        PushedImage build1Signature = fixtures.pushArtifact("ci/app", build1.manifest(), SIGNATURE, bytes("sig-1"));
        PushedImage stable = fixtures.pushImage("ci/app", "stable", ImageSpec.layers(100).seed(8));
        PushedImage untagged = fixtures.pushImage("ci/app", "scratch", ImageSpec.layers(100).seed(9));
        registry.service().manifests().delete(RepositoryName.of("ci/app"), Tag.of("scratch"));
        Thread.sleep(30);
        PushedImage build2 = fixtures.pushImage("ci/app", "build-2",
                ImageSpec.layers(1500, 200).seed(7).platform(Platform.LINUX_ARM64));
        PushedImage build2Sbom = fixtures.pushArtifact("ci/app", build2.manifest(), SBOM, bytes("sbom-2"));
        fixtures.pushImage("other/app", "anything", ImageSpec.layers(10).seed(10));

        Clock twoDaysLater = Clock.fixed(Instant.now().plus(Duration.ofHours(48)), ZoneOffset.UTC);
        Retention retention = new Retention(registry.service(), policies, twoDaysLater);
        List<RetentionPlan> dryRun = retention.plan();
        List<String> lines = RetentionOutput.lines(dryRun);

        assertEquals(List.of(
                "ci/app (policies.retention.rules[0])",
                "  delete tag build-1 -> " + build1.manifest() + ": kept by no criterion [policies.retention.rules[0]]",
                "  delete tag build-1-alias -> " + build1.manifest() + ": kept by no criterion [policies.retention.rules[0]]",
                "  keep   tag build-2 -> " + build2.manifest() + ": among the 1 latest pushed [policies.retention.rules[0]]",
                "  keep   tag release-1 -> " + release.index() + ": matches keeptags \"release-*\" [policies.retention.rules[0]]",
                "  keep   tag stable -> " + stable.manifest() + ": immutable [policies.immutable[0]]"),
                lines.subList(0, 6));
        List<String> manifestLines = lines.subList(6, lines.size());
        assertContains(manifestLines, "keep   manifest " + release.images().get(0).manifest() + ": child of kept index " + release.index());
        assertContains(manifestLines, "keep   manifest " + release.images().get(1).manifest() + ": child of kept index " + release.index());
        assertContains(manifestLines, "keep   manifest " + indexSignature.manifest() + ": referrer of kept manifest " + release.index());
        assertContains(manifestLines, "keep   manifest " + childSbom.manifest() + ": referrer of kept manifest "
                + release.images().get(0).manifest());
        assertContains(manifestLines, "keep   manifest " + build2Sbom.manifest() + ": referrer of kept manifest " + build2.manifest());
        assertContains(manifestLines, "delete manifest " + build1.manifest() + " [build-1, build-1-alias]: its tags go, "
                + "pushed more than 24h ago");
        assertContains(manifestLines, "delete manifest " + build1Signature.manifest() + ": untagged, pushed more than 24h ago");
        assertContains(manifestLines, "delete manifest " + untagged.manifest() + ": untagged, pushed more than 24h ago");
        assertEquals(8, manifestLines.size(), String.join("\n", lines));
        assertEquals("1 repositories, 2 tags and 3 manifests to delete", RetentionOutput.summary(dryRun));
        assertEquals(dryRun, retention.plan(), "a dry run changes nothing");

        Retention.Outcome outcome = retention.apply(dryRun, line -> { });
        registry.service().garbageCollector().run(new GarbageCollector.Options(false, false, Duration.ZERO), line -> { });

        assertEquals(new Retention.Outcome(2, 3, List.of()), outcome);
        assertEquals(List.of("build-2", "release-1", "stable"), tags("ci/app"));
        for (Digest gone : List.of(build1.manifest(), build1Signature.manifest(), untagged.manifest())) {
            assertEquals(404, get("/v2/ci/app/manifests/" + gone).statusCode(), gone.toString());
        }
        for (String reference : List.of("build-2", "release-1", "stable", indexSignature.manifest().toString(),
                childSbom.manifest().toString(), build2Sbom.manifest().toString())) {
            pullCompletely("ci/app", reference);
        }
        pullCompletely("other/app", "anything");
        List<RetentionPlan> after = retention.plan();
        assertEquals("1 repositories, 0 tags and 0 manifests to delete", RetentionOutput.summary(after));
    }

    /** GETs the manifest and, recursively, every child manifest and every blob it references, checking digests. */
    private void pullCompletely(String repository, String reference) throws Exception {
        HttpResponse<byte[]> manifest = get("/v2/" + repository + "/manifests/" + reference);
        assertEquals(200, manifest.statusCode(), repository + ":" + reference);
        JsonNode json = JSON.readTree(manifest.body());
        List<String> blobs = new ArrayList<>();
        if (json.has("config")) blobs.add(json.path("config").path("digest").asText());
        json.path("layers").forEach(layer -> blobs.add(layer.path("digest").asText()));
        for (String blob : blobs) {
            HttpResponse<byte[]> body = get("/v2/" + repository + "/blobs/" + blob);
            assertEquals(200, body.statusCode(), repository + " blob " + blob + " of " + reference);
            assertEquals(blob, ManifestParser.sha256(body.body()).toString());
        }
        for (JsonNode child : json.path("manifests")) pullCompletely(repository, child.path("digest").asText());
    }

    private List<String> tags(String repository) throws Exception {
        List<String> tags = new ArrayList<>();
        JSON.readTree(get("/v2/" + repository + "/tags/list").body()).path("tags").forEach(t -> tags.add(t.asText()));
        return tags;
    }

    private HttpResponse<byte[]> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(registry.url() + path))
                .header("Accept", "application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json")
                .build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static void assertContains(List<String> lines, String expectedStart) {
        assertTrue(lines.stream().anyMatch(line -> line.trim().startsWith(expectedStart)),
                "expected a line starting with\n" + expectedStart + "\nin\n" + String.join("\n", lines));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
