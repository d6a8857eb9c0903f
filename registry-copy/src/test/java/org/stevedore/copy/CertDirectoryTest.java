package org.stevedore.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stevedore.registry.Registry;
import org.stevedore.registry.fixtures.PushedImage;
import org.stevedore.tls.PemTls;
import org.stevedore.tls.SelfSignedTls;
import org.stevedore.tls.TlsVersion;

/**
 * {@code --src-cert-dir}/{@code --dest-cert-dir} against a Stevedore with a private CA: the
 * directory's {@code *.crt} is what the registry's certificate is verified against (a directory
 * with another CA fails, although loopback alone would accept anything), and its
 * {@code NAME.cert}/{@code NAME.key} is presented to a registry that requires client certificates.
 */
class CertDirectoryTest {
    private static final CopyOptions FAST = CopyOptions.DEFAULT.withRetry(new Retry(1, java.time.Duration.ZERO,
            java.time.Duration.ZERO));

    @TempDir
    Path work;

    @Test
    void theRegistryIsVerifiedAgainstTheDirectorysCa() throws Exception {
        SelfSignedTls tls = SelfSignedTls.forLoopback();
        try (Registry registry = Registry.builder().tls(tls.serverContext()).start()) {
            PushedImage image = registry.fixtures().pushImage("tls/app", "1", 1000);
            Path certs = Files.createDirectories(work.resolve("certs"));
            tls.writeCaCertificate(certs);
            String source = "docker://" + registry.hostPort() + "/tls/app:1";
            assertEquals(image.manifest(), ImageCopy.copy(source, "oci:" + work.resolve("a") + ":1",
                    FAST.withCertDirs(Optional.of(certs), Optional.empty())).digest());

            Path strangers = Files.createDirectories(work.resolve("strangers"));
            SelfSignedTls.forLoopback().writeCaCertificate(strangers);
            Exception refused = assertThrows(Exception.class, () -> ImageCopy.copy(source, "oci:" + work.resolve("b") + ":1",
                    FAST.withCertDirs(Optional.of(strangers), Optional.empty())));
            assertTrue(String.valueOf(refused.getMessage()).toLowerCase().contains("certificat")
                    || refused instanceof javax.net.ssl.SSLHandshakeException, refused.toString());
        }
    }

    @Test
    void aClientCertificateFromTheDirectoryOpensARegistryThatRequiresOne() throws Exception {
        SelfSignedTls tls = SelfSignedTls.forLoopback();
        Path certs = Files.createDirectories(work.resolve("certs"));
        tls.writeCaCertificate(certs);
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1", "-subj", "/CN=ci",
                "-addext", "extendedKeyUsage=clientAuth",
                "-keyout", certs.resolve("client.key").toString(), "-out", certs.resolve("client.cert").toString());
        Path serverCert = Files.writeString(work.resolve("server.crt"), tls.ca().serverCertificatePem());
        Path serverKey = Files.writeString(work.resolve("server.key"), tls.ca().serverKeyPem());
        try (Registry registry = Registry.builder().tls(PemTls.load(serverCert, serverKey,
                List.of(certs.resolve("client.cert")), TlsVersion.TLS_1_2)).start()) {
            PushedImage image = registry.fixtures().pushImage("mtls/app", "1", 1000);
            String destination = "docker://" + registry.hostPort() + "/mtls/copied:1";
            Path layout = work.resolve("layout");
            Files.createDirectories(layout);
            ImageCopy.copy("docker://" + registry.hostPort() + "/mtls/app:1", "oci:" + layout + ":1",
                    FAST.withCertDirs(Optional.of(certs), Optional.empty()));
            assertEquals(image.manifest(), ImageCopy.copy("oci:" + layout + ":1", destination,
                    FAST.withCertDirs(Optional.empty(), Optional.of(certs))).digest());

            Path caOnly = Files.createDirectories(work.resolve("ca-only"));
            tls.writeCaCertificate(caOnly);
            assertThrows(Exception.class, () -> ImageCopy.copy("docker://" + registry.hostPort() + "/mtls/app:1",
                    "oci:" + work.resolve("refused") + ":1", FAST.withCertDirs(Optional.of(caOnly), Optional.empty())),
                    "without the client certificate the registry refuses the handshake");
        }
    }

    private static void openssl(String... arguments) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0, "openssl failed: " + output);
    }
}
