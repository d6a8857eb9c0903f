package org.stevedore.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.stevedore.registry.Registry;

/** Keys and certificates as openssl writes them, served over HTTPS; and the messages for bad files. */
class PemFormsTest {
    @TempDir
    Path temp;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "RSA PKCS#1 | BEGIN RSA PRIVATE KEY | genrsa -traditional -out KEY 2048",
            "RSA PKCS#8 | BEGIN PRIVATE KEY     | genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out KEY",
            "EC SEC1    | BEGIN EC PRIVATE KEY  | ecparam -name prime256v1 -genkey -out KEY",
            "EC PKCS#8  | BEGIN PRIVATE KEY     | genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out KEY"})
    void servesWithOpensslKeys(String form, String header, String generate) throws Exception {
        Path key = temp.resolve("server.key");
        Path certificate = temp.resolve("server.crt");
        openssl(generate.replace("KEY", key.toString()));
        assertTrue(Files.readString(key).contains("-----" + header + "-----"), form + ": " + Files.readString(key));
        openssl("req -x509 -new -key " + key + " -out " + certificate
                + " -days 2 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1");
        SSLContext server = PemTls.load(certificate, key, List.of(), TlsVersion.TLS_1_2);
        try (Registry registry = Registry.builder().tls(server).start()) {
            SSLContext client = PemTls.client(PemTls.readCertificates(certificate));
            assertEquals(200, TlsServingTest.get(TlsServingTest.client(client), registry.url().resolve("/v2/")).statusCode());
        }
    }

    @Test
    void servesAChainOfServerAndCaCertificates() throws Exception {
        SelfSignedCa ca = SelfSignedCa.generate(List.of("127.0.0.1"));
        Path chain = Files.writeString(temp.resolve("chain.pem"), ca.serverCertificatePem() + ca.caCertificatePem());
        Path key = Files.writeString(temp.resolve("key.pem"), ca.serverKeyPem());
        assertEquals(2, PemTls.readCertificates(chain).size());
        try (Registry registry = Registry.builder().tls(PemTls.load(chain, key, List.of(), TlsVersion.TLS_1_2)).start()) {
            assertEquals(200, TlsServingTest.get(TlsServingTest.client(ca.clientContext()),
                    registry.url().resolve("/v2/")).statusCode());
        }
    }

    @Test
    void keyOfAnotherCertificateIsRefusedNamingBothFiles() throws IOException {
        SelfSignedCa one = SelfSignedCa.generate(List.of("127.0.0.1"));
        SelfSignedCa two = SelfSignedCa.generate(List.of("127.0.0.1"));
        Path certificate = Files.writeString(temp.resolve("one.crt"), one.serverCertificatePem());
        Path key = Files.writeString(temp.resolve("two.key"), two.serverKeyPem());
        TlsException e = assertThrows(TlsException.class, () -> PemTls.load(certificate, key, List.of(), TlsVersion.TLS_1_2));
        assertEquals(key + " is not the private key of the first certificate in " + certificate, e.getMessage());
    }

    @Test
    void encryptedKeyIsRefusedWithAdvice() throws Exception {
        Path key = temp.resolve("enc.key");
        openssl("genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -aes256 -pass pass:secret -out " + key);
        TlsException e = assertThrows(TlsException.class, () -> PemTls.readPrivateKey(key));
        assertTrue(e.getMessage().startsWith(key + ": the private key is encrypted"), e.getMessage());
    }

    @Test
    void filesWithoutPemAreNamed() throws IOException {
        Path junk = Files.writeString(temp.resolve("junk.pem"), "not a certificate\n");
        assertEquals(junk + ": no PEM certificate (BEGIN CERTIFICATE) found",
                assertThrows(TlsException.class, () -> PemTls.readCertificates(junk)).getMessage());
        assertTrue(assertThrows(TlsException.class, () -> PemTls.readPrivateKey(junk)).getMessage()
                .startsWith(junk + ": no PEM private key"));
        Path missing = temp.resolve("missing.pem");
        assertTrue(assertThrows(TlsException.class, () -> PemTls.readCertificates(missing)).getMessage()
                .startsWith("cannot read " + missing));
    }

    private void openssl(String arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(arguments.split(" ")));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "openssl finished");
        assertEquals(0, process.exitValue(), String.join(" ", command) + "\n" + output);
    }
}
