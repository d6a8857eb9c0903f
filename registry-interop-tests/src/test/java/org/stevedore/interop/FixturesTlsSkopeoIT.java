package org.stevedore.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stevedore.model.Digest;
import org.stevedore.registry.Registry;
import org.stevedore.registry.fixtures.ImageSpec;
import org.stevedore.registry.fixtures.PushedImage;
import org.stevedore.tls.SelfSignedTls;

/**
 * The one-line embedded TLS as skopeo sees it: an image the fixtures stored pulls over verified
 * HTTPS with only the exposed {@code ca.crt} in {@code --src-cert-dir}; without it skopeo refuses.
 */
class FixturesTlsSkopeoIT {
    @TempDir
    Path work;

    @Test
    void skopeoPullsOverTlsTrustingTheWrittenCa() throws Exception {
        Skopeo skopeo = Skopeo.in(work.resolve("skopeo"));
        SelfSignedTls tls = SelfSignedTls.forLoopback();
        Path certs = tls.writeCaCertificate(work.resolve("certs.d")).getParent();
        try (Registry registry = Registry.builder().tls(tls.serverContext()).start()) {
            PushedImage image = registry.fixtures().pushImage("tls/app", "1", ImageSpec.layers(100, 5000).seed(3));
            String remote = "docker://" + registry.hostPort() + "/tls/app:1";

            Processes.Result untrusted = skopeo.tryCopy(remote, "oci:" + work.resolve("refused") + ":1");
            assertNotEquals(0, untrusted.exitCode(), untrusted.describe());
            assertTrue(untrusted.stderr().contains("certificate"), untrusted.describe());

            Path pulled = work.resolve("pulled");
            skopeo.copy(remote, "oci:" + pulled + ":1", "--src-cert-dir=" + certs, "--src-tls-verify=true");
            OciImage copy = OciLayoutReader.read(pulled, "1");
            assertEquals(image.manifest().toString(), copy.manifestDigest());
            assertArrayEquals(image.manifestBytes(), copy.manifest());
            assertEquals(image.config().toString(), copy.configDigest());
            assertEquals(image.layers().stream().map(Digest::toString).toList(), copy.layerDigests());
        }
    }
}
