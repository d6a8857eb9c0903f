package org.stevedore.storage.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stevedore.http.RepushScenario;
import org.stevedore.storage.StorageDriver;

/**
 * {@link RepushScenario} over a directory, and what a re-push costs there: pushed again under
 * its tag, a manifest replaces none of its files (see {@link DurableFiles}).
 */
class FilesystemRepushTest extends RepushScenario {
    @TempDir
    Path root;

    @Override
    protected StorageDriver newDriver() {
        return FilesystemDriver.at(root);
    }

    @Test
    void aManifestPushedAgainUnderItsTagReplacesNoFile() throws IOException {
        byte[] manifest = pushImage("again/files", "v1", "files");
        Map<Path, Object> before = files(root.resolve("docker/registry/v2/repositories/again/files/_manifests"));
        assertFalse(before.isEmpty());

        pushManifest("again/files", "v1", manifest);

        assertEquals(before, files(root.resolve("docker/registry/v2/repositories/again/files/_manifests")));
    }

    /** Every regular file below {@code directory} with its identity (device and inode). */
    private static Map<Path, Object> files(Path directory) throws IOException {
        Map<Path, Object> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.filter(Files::isRegularFile).toList()) {
                files.put(path, Files.getAttribute(path, "unix:ino"));
            }
        }
        return files;
    }
}
