package org.stevedore.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stevedore.registry.Registry;

/** HTTPS as clients see it: java.net.http with host name verification on, against a started registry. */
class TlsServingTest {
    @TempDir
    Path temp;

    @Test
    void servesHttpsToClientsTrustingTheCaByIpAndName() throws Exception {
        SelfSignedCa ca = SelfSignedCa.generate(List.of("localhost", "127.0.0.1"));
        try (Registry registry = Registry.builder().tls(ca.serverContext()).start()) {
            assertEquals("https://127.0.0.1:" + registry.port(), registry.url().toString());
            HttpResponse<String> byIp = get(client(ca.clientContext()), registry.url().resolve("/v2/"));
            assertEquals(200, byIp.statusCode());
            assertEquals("TLSv1.3", byIp.sslSession().orElseThrow().getProtocol());
            HttpResponse<String> byName = get(client(ca.clientContext()),
                    URI.create("https://localhost:" + registry.port() + "/v2/"));
            assertEquals(200, byName.statusCode());
        }
    }

    @Test
    void hostNameNotInTheCertificateIsRefused() throws Exception {
        SelfSignedCa ca = SelfSignedCa.generate(List.of("registry.example"));
        try (Registry registry = Registry.builder().tls(ca.serverContext()).start()) {
            IOException e = assertThrows(IOException.class,
                    () -> get(client(ca.clientContext()), registry.url().resolve("/v2/")));
            assertTrue(String.valueOf(e.getMessage()).contains("127.0.0.1"), e.toString());
        }
    }

    @Test
    void clientTrustingAnotherCaIsRefused() throws Exception {
        SelfSignedCa ca = SelfSignedCa.generate(List.of("127.0.0.1"));
        SelfSignedCa other = SelfSignedCa.generate(List.of("127.0.0.1"));
        try (Registry registry = Registry.builder().tls(ca.serverContext()).start()) {
            assertThrows(IOException.class, () -> get(client(other.clientContext()), registry.url().resolve("/v2/")));
        }
    }

    @Test
    void clientCertificatesAreRequiredWithClientCas() throws Exception {
        SelfSignedCa ca = SelfSignedCa.generate(List.of("127.0.0.1"));
        ca.writeTo(temp);
        SelfSignedCa stranger = SelfSignedCa.generate(List.of("127.0.0.1"));
        SSLContext server = PemTls.load(temp.resolve("server.crt"), temp.resolve("server.key"),
                List.of(temp.resolve("ca.crt")), TlsVersion.TLS_1_2);
        try (Registry registry = Registry.builder().tls(server).start()) {
            URI base = registry.url().resolve("/v2/");
            assertThrows(IOException.class, () -> get(client(ca.clientContext()), base), "no client certificate");
            // A certificate from a CA the server does not list is refused too.
            SSLContext foreign = PemTls.client(List.of(ca.caCertificate()),
                    List.of(stranger.serverCertificate()), PemTls.readPrivateKey(write("k", stranger.serverKeyPem())));
            assertThrows(IOException.class, () -> get(client(foreign), base), "certificate from an unknown CA");
            assertEquals(200, get(client(ca.clientContextWithCertificate("ci")), base).statusCode());
        }
    }

    @Test
    void minimumTls13RefusesTls12Clients() throws Exception {
        SelfSignedCa ca = SelfSignedCa.generate(List.of("127.0.0.1"));
        ca.writeTo(temp);
        SSLContext tls13 = PemTls.load(temp.resolve("server.crt"), temp.resolve("server.key"), List.of(),
                TlsVersion.TLS_1_3);
        SSLParameters onlyTls12 = new SSLParameters();
        onlyTls12.setProtocols(new String[] {"TLSv1.2"});
        HttpClient tls12Client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .sslContext(ca.clientContext()).sslParameters(onlyTls12).connectTimeout(Duration.ofSeconds(5)).build();
        try (Registry registry = Registry.builder().tls(tls13).start()) {
            assertThrows(IOException.class, () -> get(tls12Client, registry.url().resolve("/v2/")));
        }
        try (Registry registry = Registry.builder().tls(ca.serverContext()).start()) {
            HttpResponse<String> response = get(tls12Client, registry.url().resolve("/v2/"));
            assertEquals(200, response.statusCode());
            assertEquals("TLSv1.2", response.sslSession().orElseThrow().getProtocol());
        }
    }

    @Test
    void plainHttpOnTheTlsPortGetsAClearAnswerAndAClose() throws Exception {
        SelfSignedCa ca = SelfSignedCa.generate(List.of("127.0.0.1"));
        try (Registry registry = Registry.builder().tls(ca.serverContext()).start()) {
            PlainProbe.Answer answer = PlainProbe.send(registry.port(), 10_000);
            assertTrue(answer.closed(), "closed, not left hanging: " + answer);
            assertTrue(answer.millis() < 10_000, "closed promptly: " + answer);
            assertTrue(answer.text().startsWith("HTTP/1.0 400 Bad Request\r\n"), answer.text());
            assertTrue(answer.text().contains("This registry speaks HTTPS; use https://127.0.0.1:" + registry.port() + "/"),
                    answer.text());
            // The port still speaks TLS afterwards.
            assertEquals(200, get(client(ca.clientContext()), registry.url().resolve("/v2/")).statusCode());
        }
    }

    @Test
    void loadOrCreateKeepsTheCaAcrossRestartsAndProtectsKeys() throws Exception {
        SelfSignedCa first = SelfSignedCa.loadOrCreate(temp, List.of("127.0.0.1"));
        SelfSignedCa second = SelfSignedCa.loadOrCreate(temp, List.of("127.0.0.1", "registry.local"));
        assertEquals(first.caCertificate(), second.caCertificate());
        assertNotEquals(first.serverCertificate(), second.serverCertificate());
        assertEquals(first.caCertificatePem(), Files.readString(temp.resolve("ca.crt")));
        Path keys = temp.resolve("private");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keys)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keys.resolve("ca.key"))));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keys.resolve("server.key"))));
        try (var listing = Files.list(temp)) {
            assertEquals(List.of("ca.crt", "private"), listing.map(p -> p.getFileName().toString()).sorted().toList(),
                    "only ca.crt where clients look: --cert-dir takes any *.key there for a client key");
        }
        SSLContext server = PemTls.load(keys.resolve("server.crt"), keys.resolve("server.key"), List.of(),
                TlsVersion.TLS_1_2);
        try (Registry registry = Registry.builder().tls(server).start()) {
            assertEquals(200, get(client(first.clientContext()), registry.url().resolve("/v2/")).statusCode());
        }
    }

    @Test
    void loadOrCreateMovesAnEarlierFlatLayoutsKeysApartAndKeepsItsCa() throws Exception {
        SelfSignedCa flat = SelfSignedCa.generate(List.of("127.0.0.1"));
        flat.writeTo(temp);
        SelfSignedCa loaded = SelfSignedCa.loadOrCreate(temp, List.of("127.0.0.1"));
        assertEquals(flat.caCertificate(), loaded.caCertificate());
        assertTrue(Files.isRegularFile(temp.resolve("private/ca.key")));
        assertFalse(Files.exists(temp.resolve("ca.key")));
        assertFalse(Files.exists(temp.resolve("server.key")));
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(temp.resolve(name), text);
    }

    static HttpClient client(SSLContext context) {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(context)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    static HttpResponse<String> get(HttpClient client, URI uri) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
