package org.stevedore.launcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stevedore.registry.fixtures.Fixtures;
import org.stevedore.registry.fixtures.ImageSpec;
import org.stevedore.registry.fixtures.Platform;
import org.stevedore.registry.fixtures.PushedImage;
import org.stevedore.registry.fixtures.PushedIndex;
import org.stevedore.registry.fixtures.RegistryContents;
import org.stevedore.service.RegistryService;
import org.stevedore.storage.fs.FilesystemDriver;
import picocli.CommandLine;

/**
 * {@code stevedore export} then {@code stevedore import} between two filesystem stores, one named
 * by a config.yml and one by {@code REGISTRY_*} variables only, as serve reads them.
 */
class ImportExportCommandTest {
    @TempDir
    Path temp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(Map<String, String> environment, String... args) {
        CommandLine commandLine = Main.commandLine((options, printer) -> 0, environment);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @Test
    void exportFromAConfiguredStoreImportsIntoAnotherWithTheSameDigests() throws Exception {
        Path sourceRoot = temp.resolve("source");
        PushedIndex index = Fixtures.over(RegistryService.over(FilesystemDriver.at(Files.createDirectories(sourceRoot))))
                .pushIndex("demo/app", "1", ImageSpec.layers(100, 2000).seed(5), Platform.LINUX_AMD64, Platform.LINUX_ARM64);
        Path config = Files.writeString(temp.resolve("config.yml"),
                "version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: " + sourceRoot + "\n");
        Path layout = temp.resolve("layout");

        assertEquals(0, run(Map.of(), "export", "demo/app:1", layout.toString(), config.toString()), err.toString());
        assertTrue(out.toString().contains("exported demo/app:1 " + index.index()), out.toString());

        Path targetRoot = temp.resolve("target");
        Map<String, String> environment = Map.of("REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY", targetRoot.toString());
        assertEquals(0, run(environment, "import", layout.toString(), "copied/app:2"), err.toString());
        assertTrue(out.toString().contains("imported copied/app:2 " + index.index()), out.toString());

        RegistryContents target = RegistryContents.over(RegistryService.over(FilesystemDriver.at(targetRoot)));
        assertEquals(index.index(), target.manifest("copied/app", "2").orElseThrow().digest());
        for (PushedImage image : index.images()) {
            assertArrayEquals(image.manifestBytes(),
                    target.manifest("copied/app", image.manifest().toString()).orElseThrow().bytes());
        }
    }

    @Test
    void badArgumentsAreUsageErrorsAndABadSourceNamesItself() throws Exception {
        Map<String, String> environment = Map.of("REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY", temp.resolve("s").toString());
        assertEquals(2, run(environment, "import", temp.toString(), "NoTag"));
        assertTrue(err.toString().contains("'NoTag' is not NAME:TAG"), err.toString());
        assertEquals(2, run(environment, "import", temp.toString(), "Upper/Case:1"));

        Path missing = temp.resolve("missing.tar");
        assertEquals(1, run(environment, "import", missing.toString(), "demo/app:1"));
        assertTrue(err.toString().contains("stevedore import: " + missing + " is neither a directory nor a file"),
                err.toString());
        assertEquals(1, run(environment, "export", "demo/none:1", temp.resolve("out").toString()));
        assertTrue(err.toString().contains("stevedore export: "), err.toString());
    }
}
