package org.stevedore.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.stevedore.model.Digest;
import org.stevedore.model.RepositoryName;
import org.stevedore.model.Tag;
import org.stevedore.registry.Registry;
import org.stevedore.storage.layout.StorageLayout;
import org.stevedore.storage.s3.S3Driver;
import org.stevedore.storage.s3.S3ProxyExtension;

/**
 * skopeo copies a generated OCI layout into Stevedore over S3 storage (S3Proxy) and back out:
 * manifest bytes and every digest are unchanged, and the objects sit at the reference layout's keys.
 * Blob GETs are answered with presigned redirects, so skopeo also fetches straight from S3.
 */
class S3SkopeoRoundTripIT {
    @RegisterExtension
    static final S3ProxyExtension S3 = new S3ProxyExtension();
    @TempDir
    static Path work;
    private static S3Driver driver;
    private static Registry registry;
    private static Skopeo skopeo;

    @BeforeAll
    static void startRegistry() throws Exception {
        skopeo = Skopeo.in(work.resolve("skopeo"));
        driver = S3Driver.create(S3.settings());
        registry = Registry.builder().storage(driver).start();
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) registry.close();
        if (driver != null) driver.close();
    }

    @Test
    void copiesAnImageInAndOutWithIdenticalDigests() throws Exception {
        OciImage image = OciLayoutWriter.write(work.resolve("source"), "v1", 3, 11);
        String remote = "docker://" + registry.hostPort() + "/s3/app:v1";

        skopeo.copy("oci:" + work.resolve("source") + ":v1", remote, "--preserve-digests", "--dest-tls-verify=false");
        Path copy = work.resolve("copy");
        skopeo.copy(remote, "oci:" + copy + ":v1", "--src-tls-verify=false");

        OciImage pulled = OciLayoutReader.read(copy, "v1");
        image.assertSameAs(pulled);
        assertArrayEquals(image.manifest(), skopeo.inspectRaw(remote), "inspect --raw");

        List<String> digests = new ArrayList<>(image.blobDigests());
        digests.add(image.manifestDigest());
        for (String digest : digests) {
            String path = StorageLayout.blobData(Digest.parse(digest));
            assertEquals(digest, Digests.sha256(driver.readSmall(path, 16 << 20)), "object at " + path);
        }
        String tagLink = StorageLayout.tagCurrentLink(RepositoryName.of("s3/app"), new Tag("v1"));
        assertEquals(image.manifestDigest(), new String(driver.readSmall(tagLink, 1024), StandardCharsets.UTF_8));
    }
}
