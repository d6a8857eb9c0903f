package org.stevedore.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stevedore.registry.Registry;
import org.stevedore.storage.fs.FilesystemDriver;

/**
 * skopeo copies a generated OCI layout into Stevedore (filesystem storage) and back out; nothing may
 * change on the way: manifest bytes, manifest digest and every blob digest are identical, and the
 * blobs sit on disk where the reference registry's layout puts them. One registry for the class.
 */
class SkopeoRoundTripIT {
    @TempDir
    static Path work;
    private static Registry registry;
    private static Skopeo skopeo;
    private static Path storage;

    @BeforeAll
    static void startRegistry() throws Exception {
        skopeo = Skopeo.in(work.resolve("skopeo"));
        storage = work.resolve("storage");
        registry = Registry.builder().storage(FilesystemDriver.at(storage)).start();
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) registry.close();
    }

    @Test
    void copiesAnImageInAndOutWithIdenticalDigests() throws Exception {
        OciImage image = OciLayoutWriter.write(work.resolve("source-1"), "v1", 3, 1);
        String remote = "docker://" + registry.hostPort() + "/skopeo/app:v1";

        skopeo.copy("oci:" + work.resolve("source-1") + ":v1", remote, "--preserve-digests", "--dest-tls-verify=false");
        Path copy = work.resolve("copy-1");
        skopeo.copy(remote, "oci:" + copy + ":v1", "--src-tls-verify=false");

        OciImage pulled = OciLayoutReader.read(copy, "v1");
        image.assertSameAs(pulled);
        assertBlobsStoredInReferenceLayout(image);
    }

    @Test
    void inspectRawReturnsTheExactManifestBytes() throws Exception {
        OciImage image = OciLayoutWriter.write(work.resolve("source-2"), "v1", 3, 2);
        String remote = "docker://" + registry.hostPort() + "/skopeo/inspected:v1";
        skopeo.copy("oci:" + work.resolve("source-2") + ":v1", remote, "--preserve-digests", "--dest-tls-verify=false");

        assertArrayEquals(image.manifest(), skopeo.inspectRaw(remote), "by tag");
        String byDigest = "docker://" + registry.hostPort() + "/skopeo/inspected@" + image.manifestDigest();
        assertArrayEquals(image.manifest(), skopeo.inspectRaw(byDigest), "by digest");
    }

    @Test
    void listTagsShowsEveryPushedTag() throws Exception {
        OciLayoutWriter.write(work.resolve("source-3"), "v1", 3, 3);
        String repository = "docker://" + registry.hostPort() + "/skopeo/tagged";
        for (String tag : List.of("v1", "latest", "1.0.0")) {
            skopeo.copy("oci:" + work.resolve("source-3") + ":v1", repository + ":" + tag,
                    "--preserve-digests", "--dest-tls-verify=false");
        }

        JsonNode listing = RegistryHttp.parse(skopeo.listTags(repository).getBytes());
        assertEquals("skopeo/tagged", listing.path("Repository").asText().replaceFirst("^[^/]+/", ""));
        assertEquals(List.of("1.0.0", "latest", "v1"), RegistryHttp.sortedTexts(listing.path("Tags")));
    }

    @Test
    void copiesAMultiPlatformIndexWithIdenticalDigests() throws Exception {
        Path source = work.resolve("source-4");
        OciIndex index = OciLayoutWriter.writeIndex(source, "v1", List.of("amd64", "arm64"), 4);
        String remote = "docker://" + registry.hostPort() + "/skopeo/multi:v1";

        skopeo.copy("oci:" + source + ":v1", remote, "--all", "--preserve-digests", "--dest-tls-verify=false");
        Path copy = work.resolve("copy-4");
        skopeo.copy(remote, "oci:" + copy + ":v1", "--all", "--src-tls-verify=false");

        OciIndex pulled = OciLayoutReader.readIndex(copy, "v1");
        assertEquals(index.digest(), pulled.digest(), "index digest");
        assertArrayEquals(index.index(), pulled.index(), "index bytes");
        assertArrayEquals(index.index(), skopeo.inspectRaw(remote), "inspect --raw");
        assertEquals(index.images().size(), pulled.images().size());
        for (int i = 0; i < index.images().size(); i++) {
            OciImage expected = index.images().get(i);
            assertArrayEquals(expected.manifest(), pulled.images().get(i).manifest(), "manifest " + i);
            assertEquals(expected.blobDigests(), pulled.images().get(i).blobDigests(), "blobs of manifest " + i);
        }
    }

    /** Every blob is at {@code /docker/registry/v2/blobs/sha256/<2 hex>/<hex>/data}, bytes intact. */
    private static void assertBlobsStoredInReferenceLayout(OciImage image) throws Exception {
        List<String> digests = new ArrayList<>(image.blobDigests());
        digests.add(image.manifestDigest());
        for (String digest : digests) {
            String hex = Digests.hex(digest);
            Path data = storage.resolve("docker/registry/v2/blobs/sha256").resolve(hex.substring(0, 2))
                    .resolve(hex).resolve("data");
            assertTrue(Files.isRegularFile(data), "missing " + data);
            assertEquals(digest, Digests.sha256(data), "content of " + data);
        }
        Path tagLink = storage.resolve("docker/registry/v2/repositories/skopeo/app/_manifests/tags/v1/current/link");
        assertEquals(image.manifestDigest(), Files.readString(tagLink));
    }
}
