package org.stevedore.junit5;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.stevedore.tls.SelfSignedTls;

/** {@code selfSignedTls()}: the registry serves HTTPS, and the extension and RegistryInfo expose what clients trust. */
class SelfSignedTlsExtensionTest {
    @RegisterExtension
    static final RegistryExtension REGISTRY = RegistryExtension.builder().selfSignedTls().build();

    @Test
    void injectedInfoGivesAClientContextThatVerifiesTheRegistry(RegistryInfo registry) throws Exception {
        assertEquals("https://" + registry.hostPort(), registry.url().toString());
        SelfSignedTls tls = registry.tls().orElseThrow();
        assertSame(REGISTRY.tls().orElseThrow(), tls);
        // java.net.http verifies host names unless told otherwise; both loopback names are in the certificate.
        assertEquals(200, status(tls.clientContext(), registry.url().resolve("/v2/")));
        assertEquals(200, status(tls.clientContext(), URI.create("https://localhost:" + registry.port() + "/v2/")));
        assertEquals(REGISTRY.url(), registry.url());
    }

    @Test
    void theJvmDefaultTrustRefusesTheRegistry() {
        assertThrows(SSLHandshakeException.class, () -> status(SSLContext.getDefault(), REGISTRY.url().resolve("/v2/")));
    }

    @Test
    void withoutSelfSignedTlsThereIsNone() {
        assertEquals(Optional.empty(), RegistryExtension.builder().build().tls());
    }

    @Test
    void laterRegistrySettingsKeepTheTls() throws Exception {
        SelfSignedTls tls = SelfSignedTls.forLoopback();
        RegistryExtension extension = RegistryExtension.builder().selfSignedTls(tls)
                .registry(org.stevedore.registry.Registry.builder().deleteEnabled(false)).build();
        assertSame(tls, extension.tls().orElseThrow());
    }

    private static int status(SSLContext context, URI uri) throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(30)).build();
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build();
        return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
