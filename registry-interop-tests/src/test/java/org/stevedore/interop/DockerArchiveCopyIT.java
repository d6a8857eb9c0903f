package org.stevedore.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stevedore.copy.CopyOptions;
import org.stevedore.copy.ImageCopy;
import org.stevedore.registry.Registry;

/**
 * {@code docker-archive:} with a real Docker on both ends: an image {@code docker save} wrote is
 * copied into Stevedore with its config (Docker's image ID) unchanged, and copied out again into an
 * archive that {@code docker load} reads, after the daemon forgot the image, as the same image ID
 * that still runs.
 */
class DockerArchiveCopyIT {
    @TempDir
    Path work;

    @Test
    void aSavedImageGoesThroughStevedoreAndDockerLoadsItBack() throws Exception {
        try (DockerDaemon docker = DockerDaemon.start(work.resolve("docker"));
             Registry registry = Registry.builder().start()) {
            TutorialImage image = TutorialImage.create(work.resolve("image"), "archive-base:1");
            docker.run("import", image.baseTarball().toString(), "archive-base:1");
            docker.run("build", "-t", "saved/app:1", image.context().toString());
            String imageId = docker.run("image", "inspect", "--format", "{{.Id}}", "saved/app:1").stdoutText().trim();
            Path saved = work.resolve("saved.tar");
            docker.run("save", "-o", saved.toString(), "saved/app:1");

            String stored = "docker://" + registry.hostPort() + "/saved/app:1";
            ImageCopy.copy("docker-archive:" + saved, stored, CopyOptions.DEFAULT);
            JsonNode manifest = RegistryHttp.parse(registry.contents().manifest("saved/app", "1").orElseThrow().bytes());
            assertEquals(imageId, manifest.path("config").path("digest").asText(), "Docker's image ID is the config");

            docker.run("rmi", "saved/app:1", "archive-base:1");
            Path copied = work.resolve("copied.tar");
            ImageCopy.copy(stored, "docker-archive:" + copied + ":copied/app:1", CopyOptions.DEFAULT);
            Processes.Result load = docker.run("load", "-i", copied.toString());
            assertTrue(load.stdoutText().contains("Loaded image: copied/app:1"), load.describe());
            assertEquals(imageId, docker.run("image", "inspect", "--format", "{{.Id}}", "copied/app:1").stdoutText().trim());
            assertEquals(TutorialImage.MESSAGE + "\n",
                    docker.run("run", "--rm", "--network", "none", "copied/app:1").stdoutText());
            docker.run("rmi", "copied/app:1");
        }
    }
}
