package org.stevedore.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stevedore.registry.Registry;

/** One-line self-signed HTTPS for an embedded registry; clients trust it through each exposed form of the CA. */
class SelfSignedTlsTest {
    private static final SelfSignedTls TLS = SelfSignedTls.forLoopback();

    @TempDir
    Path temp;

    @Test
    void clientContextReachesTheRegistryByEveryLoopbackName() throws Exception {
        try (Registry registry = Registry.builder().tls(TLS.serverContext()).start()) {
            assertEquals("https", registry.url().getScheme());
            HttpClient client = client(TLS.clientContext());
            assertEquals(200, status(client, registry.url().resolve("/v2/")));
            assertEquals(200, status(client, URI.create("https://localhost:" + registry.port() + "/v2/")));
        }
    }

    @Test
    void serverCertificateNamesEveryLoopbackAddress() throws Exception {
        // IPv6 is only checked in the certificate: test traffic stays on 127.0.0.1, which CI always has.
        Set<String> names = new HashSet<>();
        for (List<?> name : TLS.ca().serverCertificate().getSubjectAlternativeNames()) names.add((String) name.get(1));
        assertEquals(Set.of("localhost", "127.0.0.1", "0:0:0:0:0:0:0:1"), names);
    }

    @Test
    void trustStoreAndWrittenFilesHoldTheCa() throws Exception {
        KeyStore store = TLS.trustStore();
        assertEquals(TLS.caCertificate(), store.getCertificate(SelfSignedTls.TRUST_STORE_ALIAS));

        Path caFile = TLS.writeCaCertificate(temp.resolve("certs.d"));
        assertEquals(temp.resolve("certs.d").resolve("ca.crt"), caFile);
        try (InputStream in = Files.newInputStream(caFile)) {
            X509Certificate read = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            assertEquals(TLS.caCertificate(), read);
        }

        Path storeFile = TLS.writeTrustStore(temp.resolve("trust/store.p12"), "changeit".toCharArray());
        KeyStore loaded = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(storeFile)) {
            loaded.load(in, "changeit".toCharArray());
        }
        try (Registry registry = Registry.builder().tls(TLS.serverContext()).start()) {
            assertEquals(200, status(client(contextTrusting(loaded)), registry.url().resolve("/v2/")));
        }
    }

    @Test
    void clientsNotTrustingTheCaAreRefused() throws Exception {
        try (Registry registry = Registry.builder().tls(TLS.serverContext()).start()) {
            HttpClient other = client(SelfSignedTls.forLoopback().clientContext());
            assertThrows(SSLHandshakeException.class, () -> status(other, registry.url().resolve("/v2/")));
            HttpClient jvmDefault = client(SSLContext.getDefault());
            assertThrows(SSLHandshakeException.class, () -> status(jvmDefault, registry.url().resolve("/v2/")));
        }
    }

    private static SSLContext contextTrusting(KeyStore store) throws Exception {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    private static HttpClient client(SSLContext context) {
        return HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static int status(HttpClient client, URI uri) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build();
        return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
