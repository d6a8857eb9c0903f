package org.stevedore.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stevedore.registry.Registry;
import org.stevedore.registry.fixtures.ImageSpec;
import org.stevedore.registry.fixtures.PushedImage;
import org.stevedore.storage.fs.FilesystemDriver;
import picocli.CommandLine;

/**
 * {@code stevedore retention}: reads config.yml and REGISTRY_* as serve does, prints every
 * decision (lines or JSON), deletes nothing with --dry-run, and deletes what it printed without.
 */
class RetentionCommandTest {
    @TempDir
    Path temp;

    @Test
    void dryRunPrintsTheDecisionsThenTheRunDeletesThem() throws Exception {
        Path root = temp.resolve("data");
        PushedImage old;
        PushedImage latest;
        try (Registry registry = Registry.builder().storage(FilesystemDriver.at(root)).start()) {
            old = registry.fixtures().pushImage("ci/app", "build-1", ImageSpec.layers(10).seed(1));
            registry.fixtures().pushImage("ci/app", "main", ImageSpec.layers(10).seed(2));
            Thread.sleep(50);
            latest = registry.fixtures().pushImage("ci/app", "build-2", ImageSpec.layers(10).seed(3));
            registry.fixtures().pushImage("prod/app", "build-0", ImageSpec.layers(10).seed(4));
        }
        Backdate.store(root, Duration.ofHours(1));
        Path config = Files.writeString(temp.resolve("config.yml"), """
                version: 0.1
                storage:
                  filesystem:
                    rootdirectory: %s
                policies:
                  retention:
                    rules:
                      - repositories: "**"
                        keeplatest: 100
                """.formatted(root));
        Map<String, String> env = Map.of("REGISTRY_POLICIES_RETENTION_RULES",
                "[{repositories: 'ci/**', keeplatest: 1, keeptags: [main], untagged: 0s}]");

        String dryRun = run(env, 0, "retention", "--dry-run", config.toString());
        String json = run(env, 0, "retention", "--dry-run", "--json", config.toString());
        String done = run(env, 0, "retention", config.toString());
        String again = run(env, 0, "retention", "--dry-run", config.toString());

        assertEquals(List.of(
                "ci/app (policies.retention.rules[0])",
                "  delete tag build-1 -> " + old.manifest() + ": kept by no criterion [policies.retention.rules[0]]",
                "  keep   tag build-2 -> " + latest.manifest() + ": among the 1 latest pushed [policies.retention.rules[0]]",
                "  keep   tag main -> sha256:" + dryRun.split("tag main -> sha256:")[1].substring(0, 64)
                        + ": matches keeptags \"main\" [policies.retention.rules[0]]",
                "  delete manifest " + old.manifest() + " [build-1]: its tags go, pushed more than 0s ago"
                        + " [policies.retention.rules[0]]",
                "Dry run, nothing deleted: 1 repositories, 1 tags and 1 manifests to delete"), dryRun.lines().toList());
        JsonNode document = new ObjectMapper().readTree(json);
        assertTrue(document.path("dryRun").asBoolean());
        assertEquals("delete", document.at("/repositories/0/tags/0/action").asText());
        assertEquals("policies.retention.rules[0]", document.at("/repositories/0/tags/0/rule").asText());
        assertTrue(done.endsWith("Done: deleted 1 tags and 1 manifests; their blobs go at the next garbage collection\n"), done);
        assertTrue(again.endsWith("1 repositories, 0 tags and 0 manifests to delete\n"), again);
        assertTrue(Files.isDirectory(root.resolve("docker/registry/v2/repositories/prod/app/_manifests/tags/build-0")),
                "no rule matches prod/app");
    }

    @Test
    void withoutRulesItFailsSayingSo() throws Exception {
        Path config = Files.writeString(temp.resolve("config.yml"), "version: 0.1\nstorage:\n  filesystem:\n"
                + "    rootdirectory: " + temp.resolve("data") + "\n");
        StringWriter err = new StringWriter();
        CommandLine commandLine = Main.commandLine((options, printer) -> 0, Map.of());
        commandLine.setOut(new PrintWriter(new StringWriter(), true));
        commandLine.setErr(new PrintWriter(err, true));

        assertEquals(1, commandLine.execute("retention", config.toString()));
        assertTrue(err.toString().contains("policies.retention.rules is empty"), err.toString());
    }

    private static String run(Map<String, String> env, int expectedExit, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = Main.commandLine((options, printer) -> 0, env);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        assertEquals(expectedExit, commandLine.execute(args), err.toString());
        return out.toString();
    }
}
