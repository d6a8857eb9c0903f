package org.stevedore.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stevedore.registry.Registry;
import org.stevedore.tls.SelfSignedCa;

/**
 * skopeo pushes to and pulls from Stevedore over HTTPS with certificate verification on, trusting
 * the registry's private CA through {@code --cert-dir} (the directory layout of
 * {@code /etc/docker/certs.d/HOST:PORT/}); without the CA it refuses.
 */
class SkopeoTlsIT {
    @TempDir
    Path work;

    @Test
    void pushesAndPullsOverVerifiedTls() throws Exception {
        Skopeo skopeo = Skopeo.in(work.resolve("skopeo"));
        SelfSignedCa ca = SelfSignedCa.generate(List.of("127.0.0.1", "localhost"));
        Path certs = Files.createDirectories(work.resolve("certs.d"));
        Files.writeString(certs.resolve("ca.crt"), ca.caCertificatePem());
        try (Registry registry = Registry.builder().tls(ca.serverContext()).start()) {
            OciImage image = OciLayoutWriter.write(work.resolve("source"), "v1", 2, 7);
            String remote = "docker://" + registry.hostPort() + "/tls/app:v1";

            Processes.Result untrusted = skopeo.tryCopy("oci:" + work.resolve("source") + ":v1", remote);
            assertNotEquals(0, untrusted.exitCode(), untrusted.describe());
            assertTrue(untrusted.stderr().contains("certificate"), untrusted.describe());

            skopeo.copy("oci:" + work.resolve("source") + ":v1", remote, "--preserve-digests",
                    "--dest-cert-dir=" + certs, "--dest-tls-verify=true");
            Path pulled = work.resolve("pulled");
            skopeo.copy(remote, "oci:" + pulled + ":v1", "--src-cert-dir=" + certs, "--src-tls-verify=true");

            OciImage copy = OciLayoutReader.read(pulled, "v1");
            assertEquals(image.manifestDigest(), copy.manifestDigest());
            assertArrayEquals(image.manifest(), copy.manifest());
            assertEquals(image.blobDigests(), copy.blobDigests());
        }
    }
}
