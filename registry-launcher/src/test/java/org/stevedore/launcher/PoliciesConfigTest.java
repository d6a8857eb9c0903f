package org.stevedore.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.stevedore.policies.Glob;
import org.stevedore.policies.Policies;
import org.stevedore.policies.RetentionRule;
import org.stevedore.registry.Registry;
import org.stevedore.registry.fixtures.ImageSpec;
import org.stevedore.registry.fixtures.PushedImage;

/** Stevedore's {@code policies} section, from a file and from {@code REGISTRY_POLICIES_*}, down to a running registry. */
class PoliciesConfigTest {
    private static final String ISSUE_EXAMPLE = """
            version: 0.1
            policies:
              immutable:
                - repositories: "prod/**"
                  tags: "v*"
              retention:
                interval: 1h
                dryrun: false
                rules:
                  - repositories: "ci/**"
                    keeplatest: 10
                    keeptags: ["main", "v*"]
                    keepwithin: 720h
                    untagged: 24h
            """;

    @TempDir
    Path temp;

    @RegisterExtension
    final InProcessServe launcher = new InProcessServe(AuthFactory.UNAVAILABLE);

    @Test
    void theDocumentedExampleReadsWithoutWarnings() throws IOException {
        ConfigLoader.Loaded loaded = ConfigLoader.load(Optional.of(write(ISSUE_EXAMPLE)), Map.of());
        Policies policies = loaded.config().policies();

        assertEquals(List.of(), loaded.warnings());
        assertEquals(1, policies.immutable().size());
        assertEquals("policies.immutable[0]", policies.immutable().get(0).name());
        assertEquals(Glob.of("prod/**"), policies.immutable().get(0).repositories());
        assertEquals(Optional.of(Duration.ofHours(1)), policies.retention().interval());
        assertEquals(List.of(new RetentionRule("policies.retention.rules[0]", Glob.of("ci/**"), 10,
                List.of(Glob.of("main"), Glob.of("v*")), Optional.of(Duration.ofHours(720)),
                Optional.of(Duration.ofHours(24)))), policies.retention().rules());
    }

    @Test
    void variablesSetAndOverrideTheSection() throws IOException {
        ConfigLoader.Loaded loaded = ConfigLoader.load(Optional.of(write(ISSUE_EXAMPLE)), Map.of(
                "REGISTRY_POLICIES_IMMUTABLE", "[{repositories: 'release/*', tags: '*'}]",
                "REGISTRY_POLICIES_RETENTION_DRYRUN", "true",
                "REGISTRY_POLICIES_RETENTION_INTERVAL", "30m"));
        Policies policies = loaded.config().policies();

        assertEquals(List.of(), loaded.warnings());
        assertEquals(Glob.of("release/*"), policies.immutable().get(0).repositories());
        assertTrue(policies.retention().dryRun());
        assertEquals(Optional.of(Duration.ofMinutes(30)), policies.retention().interval());
    }

    @Test
    void unknownKeysWarnAndBadValuesNameTheKey() throws IOException {
        ConfigLoader.Loaded unknown = ConfigLoader.load(Optional.of(write("""
                version: 0.1
                policies:
                  immutable:
                    - repositories: "a/*"
                      tags: "v*"
                      regex: true
                  cleanup: yes
                """)), Map.of("REGISTRY_POLICIES_RETENTION_SCHEDULE", "1h"));
        assertEquals(List.of("ignoring unrecognized environment variable REGISTRY_POLICIES_RETENTION_SCHEDULE",
                "policies.immutable[0].regex is not supported by Stevedore; ignored",
                "policies.cleanup is not supported by Stevedore; ignored"), unknown.warnings());

        Path file = write("version: 0.1\npolicies:\n  immutable:\n    - repositories: \"a/*\"\n");
        ConfigException missing = assertThrows(ConfigException.class, () -> ConfigLoader.load(Optional.of(file), Map.of()));
        assertTrue(missing.getMessage().startsWith("policies.immutable[0].tags: missing"), missing.getMessage());
        Path plain = write("version: 0.1\n");
        ConfigException negative = assertThrows(ConfigException.class, () -> ConfigLoader.load(Optional.of(plain),
                Map.of("REGISTRY_POLICIES_RETENTION_RULES", "[{repositories: '**', keeplatest: -1}]")));
        assertTrue(negative.getMessage().startsWith("policies.retention.rules[0].keeplatest (from "
                + "REGISTRY_POLICIES_RETENTION_RULES): must not be negative"), negative.getMessage());
    }

    @Test
    void theServerRefusesToMoveAnImmutableTagFromVariables() throws Exception {
        Registry registry = launcher.start(Map.of("REGISTRY_POLICIES_IMMUTABLE", "[{repositories: 'prod/**', tags: 'v*'}]"),
                "--addr", "127.0.0.1:0", "--root", temp.resolve("data").toString());
        registry.fixtures().pushImage("prod/app", "v1", ImageSpec.layers(10).seed(1));
        PushedImage other = registry.fixtures().pushImage("prod/app", "next", ImageSpec.layers(10).seed(2));

        HttpResponse<String> moved = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(registry.url() + "/v2/prod/app/manifests/v1"))
                .header("Content-Type", other.mediaType().value())
                .PUT(HttpRequest.BodyPublishers.ofByteArray(other.manifestBytes())).build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(403, moved.statusCode(), moved.body());
        assertTrue(moved.body().contains("rule policies.immutable[0]"), moved.body());
    }

    @Test
    void theServerRunsRetentionAtItsInterval() throws Exception {
        Registry registry = launcher.start(Map.of("REGISTRY_POLICIES_RETENTION_INTERVAL", "200ms",
                        "REGISTRY_POLICIES_RETENTION_RULES", "[{repositories: 'ci/**', keeptags: [main], untagged: 0s}]"),
                "--addr", "127.0.0.1:0", "--root", temp.resolve("data").toString());
        PushedImage kept = registry.fixtures().pushImage("ci/app", "main", ImageSpec.layers(10).seed(1));
        PushedImage gone = registry.fixtures().pushImage("ci/app", "feature", ImageSpec.layers(10).seed(2));
        Backdate.store(temp.resolve("data"), Duration.ofHours(1));

        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (registry.contents().manifest("ci/app", gone.manifest().toString()).isPresent()
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }

        assertEquals(List.of("main"), registry.contents().tags("ci/app"));
        assertTrue(registry.contents().manifest("ci/app", gone.manifest().toString()).isEmpty(), "the feature build went");
        assertTrue(registry.contents().manifest("ci/app", kept.manifest().toString()).isPresent());
        HttpResponse<String> preview = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(registry.url() + "/api/v1/retention")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, preview.statusCode(), preview.body());
        assertTrue(preview.body().contains("\"tag\":\"main\",\"digest\":\"" + kept.manifest()), preview.body());
    }

    private Path write(String yaml) throws IOException {
        Path file = Files.createTempFile(temp, "config", ".yml");
        Files.writeString(file, yaml);
        return file;
    }
}
