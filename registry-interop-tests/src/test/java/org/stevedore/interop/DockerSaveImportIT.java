package org.stevedore.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stevedore.images.ImageArchives;
import org.stevedore.images.ImportedImage;
import org.stevedore.registry.Registry;

/**
 * A {@code docker save} archive made by a real Docker (the tutorial's two-layer image) imports as
 * {@code skopeo copy docker-archive:...} pushes it (same config, so the same image ID; the same
 * manifest form, layers gzipped), and pulls with skopeo and Jib with the digests the import stored.
 */
class DockerSaveImportIT {
    @TempDir
    Path work;

    @Test
    void dockerSaveArchiveImportsAsSkopeoPushesIt() throws Exception {
        Path archive = work.resolve("saved.tar");
        try (DockerDaemon docker = DockerDaemon.start(work.resolve("docker"))) {
            TutorialImage image = TutorialImage.create(work.resolve("image"), "saved-base:1");
            docker.run("import", image.baseTarball().toString(), "saved-base:1");
            docker.run("build", "-t", "saved/app:1", image.context().toString());
            docker.run("save", "-o", archive.toString(), "saved/app:1");
        }
        Skopeo skopeo = Skopeo.in(work.resolve("skopeo"));
        try (Registry registry = Registry.builder().start()) {
            ImportedImage imported = ImageArchives.of(registry).importImage(archive, "saved/app", "1");
            assertEquals(ImportedImage.Format.DOCKER_ARCHIVE, imported.format());
            String reference = registry.hostPort() + "/saved/app:1";
            JsonNode ours = RegistryHttp.parse(skopeo.inspectRaw("docker://" + reference));
            assertEquals(imported.digest().toString(), Digests.sha256(skopeo.inspectRaw("docker://" + reference)));

            skopeo.copy("docker-archive:" + archive, "docker://" + registry.hostPort() + "/by-skopeo/app:1",
                    "--dest-tls-verify=false");
            JsonNode skopeos = RegistryHttp.parse(skopeo.inspectRaw("docker://" + registry.hostPort() + "/by-skopeo/app:1"));
            assertEquals(skopeos.path("mediaType"), ours.path("mediaType"));
            assertEquals(skopeos.path("config"), ours.path("config"), "the config, and so the image ID, is kept");
            assertEquals(2, ours.path("layers").size(), "the tutorial image has a base and a message layer");
            List<String> layers = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                assertEquals(skopeos.path("layers").get(i).path("mediaType"), ours.path("layers").get(i).path("mediaType"));
                layers.add(ours.path("layers").get(i).path("digest").asText());
            }

            Path pulled = work.resolve("pulled");
            skopeo.copy("docker://" + reference, "dir:" + pulled, "--src-tls-verify=false");
            for (String digest : layers) {
                assertEquals(digest, Digests.sha256(pulled.resolve(Digests.hex(digest))), "layer skopeo pulled");
            }
            assertEquals(layers, JibPull.layerDigests(reference, work.resolve("jib")));
        }
    }
}
