package org.stevedore.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.stevedore.model.Digest;
import org.stevedore.model.ManifestParser;
import org.stevedore.model.RepositoryName;
import org.stevedore.model.Tag;
import org.stevedore.registry.Registry;
import org.stevedore.registry.fixtures.ImageSpec;
import org.stevedore.registry.fixtures.PushedImage;
import org.stevedore.storage.StorageDriver;
import org.stevedore.storage.fs.FilesystemDriver;
import org.stevedore.storage.layout.StorageLayout;
import org.stevedore.storage.s3.S3Driver;
import org.stevedore.storage.s3.S3DriverSettings;
import org.stevedore.storage.s3.S3ProxyExtension;
import picocli.CommandLine;

/**
 * {@code stevedore usage}, {@code verify} and {@code delete-repository} over a store configured as
 * serve reads it, on the filesystem and on S3 (S3Proxy).
 */
class StoreCommandsTest {
    @RegisterExtension
    static final S3ProxyExtension S3 = new S3ProxyExtension();

    @TempDir
    Path temp;

    @ParameterizedTest
    @ValueSource(strings = {"filesystem", "s3"})
    void usageVerifyAndDeleteRepository(String kind) throws Exception {
        Map<String, Object> storage = new LinkedHashMap<>();
        StorageDriver driver;
        if (kind.equals("s3")) {
            Map<String, Object> parameters = S3.parameters(Map.of());
            storage.put("s3", parameters);
            driver = S3Driver.create(S3DriverSettings.fromParameters(parameters));
        } else {
            storage.put("filesystem", Map.of("rootdirectory", temp.resolve("data").toString()));
            driver = FilesystemDriver.at(temp.resolve("data"));
        }
        Map<String, Object> yaml = new LinkedHashMap<>();
        yaml.put("version", "0.1");
        yaml.put("storage", storage);
        yaml.put("policies", Map.of("immutable", List.of(Map.of("repositories", "prod/**", "tags", "v*"))));
        Path config = temp.resolve("config.yml");
        new YAMLMapper().writeValue(config.toFile(), yaml);

        PushedImage app;
        PushedImage release;
        try (Registry registry = Registry.builder().storage(driver).start()) {
            app = registry.fixtures().pushImage("team/app", "a", ImageSpec.layers(4000).randomBytes().seed(1));
            registry.fixtures().pushImage("team/app", "b", ImageSpec.layers(4000).randomBytes().seed(1));
            release = registry.fixtures().pushImage("prod/app", "v1", ImageSpec.layers(100).randomBytes().seed(2));
        }
        long appBytes = 4000 + size(driver, app.config()) + app.manifestSize();

        assertEquals(List.of("prod/app: " + (100 + size(driver, release.config()) + release.manifestSize()) + " B ("
                        + (100 + size(driver, release.config()) + release.manifestSize()) + " bytes in 3 blobs), 1 tags, 1 manifests",
                "team/app: 4.4 KiB (" + appBytes + " bytes in 3 blobs), 2 tags, 1 manifests"),
                run(0, "usage", config.toString()).lines().toList());
        JsonNode usage = new ObjectMapper().readTree(run(0, "usage", "--json", config.toString()));
        assertEquals(appBytes, usage.at("/repositories/1/bytes").asLong());

        String sound = run(0, "verify", config.toString());
        assertTrue(sound.endsWith("0 problems\n"), sound);
        Digest layer = app.layers().get(0);
        driver.writeSmall(StorageLayout.blobData(layer), "tampered".getBytes(StandardCharsets.UTF_8));
        driver.delete(StorageLayout.blobData(release.layers().get(0)));
        Digest nowhere = ManifestParser.sha256("nothing".getBytes(StandardCharsets.UTF_8));
        driver.writeSmall(StorageLayout.tagCurrentLink(RepositoryName.of("team/app"), Tag.of("ghost")),
                nowhere.toString().getBytes(StandardCharsets.UTF_8));
        String damaged = run(1, "verify", config.toString());
        assertTrue(damaged.contains("corrupt-blob " + layer + ": its bytes hash to "), damaged);
        assertTrue(damaged.contains("missing-blob prod/app blob " + release.layers().get(0)), damaged);
        assertTrue(damaged.contains("dangling-tag team/app tag ghost: points at " + nowhere), damaged);
        assertTrue(damaged.endsWith("3 problems\n"), damaged);
        JsonNode findings = new ObjectMapper().readTree(run(1, "verify", "--json", config.toString()));
        assertEquals(3, findings.path("findings").size());

        StringWriter refusal = new StringWriter();
        assertEquals(1, execute(new StringWriter(), refusal, "delete-repository", "prod/app", config.toString()));
        assertTrue(refusal.toString().contains("repository prod/app has immutable tags: v1 (policies.immutable[0])"),
                refusal.toString());
        assertEquals("Deleted prod/app: 1 tags, 1 manifests; its blobs go at the next garbage collection\n",
                run(0, "delete-repository", "--force", "prod/app", config.toString()));
        assertEquals("Deleted team/app: 3 tags, 1 manifests; its blobs go at the next garbage collection\n",
                run(0, "delete-repository", "team/app", config.toString()));
        assertEquals("", run(0, "usage", config.toString()));
        if (driver instanceof AutoCloseable closeable) closeable.close();
    }

    private static long size(StorageDriver driver, Digest digest) throws Exception {
        return driver.statFile(StorageLayout.blobData(digest)).orElseThrow().size();
    }

    private static String run(int expectedExit, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertEquals(expectedExit, execute(out, err, args), err + "\n" + out);
        return out.toString();
    }

    private static int execute(StringWriter out, StringWriter err, String... args) {
        CommandLine commandLine = Main.commandLine((options, printer) -> 0, Map.of());
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }
}
