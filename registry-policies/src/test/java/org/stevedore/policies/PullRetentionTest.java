package org.stevedore.policies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stevedore.registry.Registry;
import org.stevedore.registry.fixtures.ImageSpec;
import org.stevedore.registry.fixtures.PushedImage;
import org.stevedore.storage.fs.FilesystemDriver;

/**
 * {@code keepwithin} counts pulls: a tag pushed long ago but pulled (HEAD by tag, as docker
 * resolves it) within the window is kept, and the dry run says so; an old tag nobody pulled
 * goes. The pull is written to storage once per interval, whichever node serves it.
 */
class PullRetentionTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path root;

    @Test
    void aTagPulledWithinTheWindowIsKeptAndTheDryRunSaysWhy() throws Exception {
        RetentionPolicy retention = new RetentionPolicy(Optional.empty(), false, List.of(new RetentionRule(
                "policies.retention.rules[0]", Glob.of("ci/**"), 0, List.of(), Optional.of(Duration.ofHours(24)),
                Optional.empty())));
        Policies policies = new Policies(List.of(), retention);
        FilesystemDriver driver = FilesystemDriver.at(root);
        PullRecorder recorder = new PullRecorder(driver, PullRecorder.DEFAULT_INTERVAL, Clock.systemUTC());
        try (Registry registry = Registry.builder().storage(driver).requestObserver(recorder).start()) {
            PushedImage pulled = registry.fixtures().pushImage("ci/app", "pulled", ImageSpec.layers(10).seed(1));
            PushedImage forgotten = registry.fixtures().pushImage("ci/app", "forgotten", ImageSpec.layers(10).seed(2));
            Path repository = root.resolve("docker/registry/v2/repositories/ci/app");
            FileTime threeDaysAgo = FileTime.from(Instant.now().minus(Duration.ofDays(3)));
            for (String tag : List.of("pulled", "forgotten")) {
                Files.setLastModifiedTime(repository.resolve("_manifests/tags/" + tag + "/current/link"), threeDaysAgo);
            }

            assertEquals(200, head(registry, "/v2/ci/app/manifests/pulled"));
            assertEquals(200, head(registry, "/v2/ci/app/manifests/" + forgotten.manifest())); // by digest: no tag pulled
            recorder.flush();
            Path record = repository.resolve("_pulls/pulled");
            assertTrue(Files.isRegularFile(record), "the pull is recorded in storage");
            assertEquals(List.of(record), Files.list(repository.resolve("_pulls")).toList());

            // Bounded writes: within the interval neither this node nor another one writes again.
            FileTime tenMinutesAgo = FileTime.from(Instant.now().minus(Duration.ofMinutes(10)));
            Files.setLastModifiedTime(record, tenMinutesAgo);
            assertEquals(200, head(registry, "/v2/ci/app/manifests/pulled"));
            recorder.flush();
            PullRecorder otherNode = new PullRecorder(driver, PullRecorder.DEFAULT_INTERVAL, Clock.systemUTC());
            otherNode.completed(new org.stevedore.http.CompletedRequest(Optional.of(new org.stevedore.http.V2Route.Manifest(
                    org.stevedore.model.RepositoryName.of("ci/app"), org.stevedore.model.Tag.of("pulled"))),
                    "GET", "/v2/ci/app/manifests/pulled", 200, Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty()));
            otherNode.flush();
            otherNode.close();
            assertEquals(tenMinutesAgo, Files.getLastModifiedTime(record));

            Retention run = new Retention(registry.service(), policies, Clock.systemUTC());
            List<String> lines = RetentionOutput.lines(run.plan());
            assertEquals(List.of("ci/app (policies.retention.rules[0])",
                    "  delete tag forgotten -> " + forgotten.manifest() + ": kept by no criterion [policies.retention.rules[0]]",
                    "  keep   tag pulled -> " + pulled.manifest() + ": pulled within 24h [policies.retention.rules[0]]"),
                    lines.subList(0, 3));

            run.apply(run.plan(), line -> { });
            assertEquals(List.of("pulled"), registry.contents().tags("ci/app"));
        } finally {
            recorder.close();
        }
    }

    private static int head(Registry registry, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(registry.url() + path))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .header("Accept", "application/vnd.oci.image.manifest.v1+json").build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
