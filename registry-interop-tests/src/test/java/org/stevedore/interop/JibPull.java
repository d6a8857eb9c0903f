package org.stevedore.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.TarImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Jib pulls an image (as the base of an otherwise empty image) into a tarball; what it pulled are
 * the layer blobs in that tarball, each named by Jib after the digest it verified while pulling.
 */
final class JibPull {
    private JibPull() {
    }

    /** The digests of the layers Jib pulled for {@code reference} ({@code host:port/name:tag}), in order. */
    static List<String> layerDigests(String reference, Path work) throws Exception {
        Path tarball = Files.createTempFile(Files.createDirectories(work), "jib-", ".tar");
        Jib.from(RegistryImage.named(reference))
                .containerize(Containerizer.to(TarImage.at(tarball).named("pulled/by-jib:1"))
                        .setAllowInsecureRegistries(true)
                        .setBaseImageLayersCache(work.resolve("jib-cache/base"))
                        .setApplicationLayersCache(work.resolve("jib-cache/application"))
                        .setToolName("stevedore-interop-tests"));
        Map<String, byte[]> entries = Tar.read(Files.readAllBytes(tarball));
        JsonNode manifest = RegistryHttp.parse(entries.get("manifest.json")).get(0);
        List<String> digests = new ArrayList<>();
        for (JsonNode layer : manifest.path("Layers")) digests.add(Digests.sha256(entries.get(layer.asText())));
        return digests;
    }
}
