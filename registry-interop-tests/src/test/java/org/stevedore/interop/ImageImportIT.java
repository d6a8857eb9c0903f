package org.stevedore.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stevedore.images.ImageArchives;
import org.stevedore.images.ImportedImage;
import org.stevedore.registry.Registry;

/**
 * Images imported from an OCI layout directory, an OCI layout tar (made by skopeo) and a
 * multi-platform layout pull with skopeo and with Jib with exactly the digests the layout has;
 * an image exported to a layout goes through docker-registry 2.8.2 and back with skopeo unchanged.
 */
class ImageImportIT {
    @TempDir
    static Path work;
    private static Registry registry;
    private static Skopeo skopeo;

    @BeforeAll
    static void start() throws Exception {
        registry = Registry.builder().start();
        skopeo = Skopeo.in(work.resolve("skopeo"));
    }

    @AfterAll
    static void stop() {
        if (registry != null) registry.close();
    }

    @Test
    void ociLayoutDirectoryPullsWithItsOwnDigests() throws Exception {
        OciImage written = OciLayoutWriter.write(work.resolve("dir-layout"), "1", 2, 11);
        ImportedImage imported = ImageArchives.of(registry).importImage(work.resolve("dir-layout"), "import/dir", "1");
        assertEquals(written.manifestDigest(), imported.digest().toString());
        assertPulledAsWritten(written, "import/dir:1", "dir-pulled");
    }

    @Test
    void ociLayoutTarFromSkopeoPullsWithItsOwnDigests() throws Exception {
        OciImage written = OciLayoutWriter.write(work.resolve("tar-source"), "1", 2, 12);
        Path archive = work.resolve("image.tar");
        skopeo.copy("oci:" + work.resolve("tar-source") + ":1", "oci-archive:" + archive + ":1");
        ImportedImage imported = ImageArchives.of(registry).importImage(archive, "import/tar", "1");
        assertEquals(ImportedImage.Format.OCI_LAYOUT_TAR, imported.format());
        assertEquals(written.manifestDigest(), imported.digest().toString());
        assertPulledAsWritten(written, "import/tar:1", "tar-pulled");
    }

    @Test
    void multiPlatformLayoutPullsEveryPlatformWithItsOwnDigests() throws Exception {
        OciIndex written = OciLayoutWriter.writeIndex(work.resolve("multi"), "1", List.of("amd64", "arm64"), 13);
        ImportedImage imported = ImageArchives.of(registry).importImage(work.resolve("multi"), "import/multi", "1");
        assertEquals(written.digest(), imported.digest().toString());

        Path pulled = work.resolve("multi-pulled");
        skopeo.copy("docker://" + registry.hostPort() + "/import/multi:1", "oci:" + pulled + ":1",
                "--src-tls-verify=false", "--all");
        OciIndex read = OciLayoutReader.readIndex(pulled, "1");
        assertArrayEquals(written.index(), read.index());
        for (int i = 0; i < written.images().size(); i++) written.images().get(i).assertSameAs(read.images().get(i));
        // Jib picks linux/amd64 from the index, the first image.
        assertEquals(written.images().get(0).layerDigests(),
                JibPull.layerDigests(registry.hostPort() + "/import/multi:1", work.resolve("jib-multi")));
    }

    @Test
    void exportedLayoutGoesThroughDistributionAndBackUnchanged() throws Exception {
        OciImage written = OciLayoutWriter.write(work.resolve("to-export"), "1", 2, 14);
        ImageArchives.of(registry).importImage(work.resolve("to-export"), "export/app", "1");
        Path exported = work.resolve("exported");
        assertEquals(written.manifestDigest(),
                ImageArchives.of(registry).exportImage("export/app", "1", exported).toString());

        try (DistributionProcess distribution = DistributionProcess.start(work.resolve("distribution-data"),
                work.resolve("distribution"))) {
            String there = "docker://" + distribution.hostPort() + "/exported/app:1";
            skopeo.copy("oci:" + exported + ":1", there, "--dest-tls-verify=false");
            assertArrayEquals(written.manifest(), skopeo.inspectRaw(there));
            Path back = work.resolve("back");
            skopeo.copy(there, "oci:" + back + ":1", "--src-tls-verify=false");
            written.assertSameAs(OciLayoutReader.read(back, "1"));
        }
    }

    private static void assertPulledAsWritten(OciImage written, String reference, String directory) throws Exception {
        Path pulled = work.resolve(directory);
        skopeo.copy("docker://" + registry.hostPort() + "/" + reference, "oci:" + pulled + ":1", "--src-tls-verify=false");
        written.assertSameAs(OciLayoutReader.read(pulled, "1"));
        assertEquals(written.layerDigests(),
                JibPull.layerDigests(registry.hostPort() + "/" + reference, work.resolve("jib-" + directory)));
    }
}
