package org.stevedore.junit5;

import java.net.URI;
import java.util.Optional;
import org.stevedore.tls.SelfSignedTls;

/**
 * The little a test needs to reach a registry: its address. Injected into test and lifecycle
 * methods by {@link RegistryExtension}; a {@link org.stevedore.registry.Registry} parameter gets
 * the whole running registry instead. Published API.
 */
public interface RegistryInfo {

    /** The base URL, e.g. {@code http://127.0.0.1:49321}, or {@code https://} with TLS. */
    URI url();

    /** {@code host:port} for image references, e.g. {@code 127.0.0.1:49321}. */
    String hostPort();

    /** The port listened on. */
    int port();

    /**
     * The CA certificate, trust store and client {@code SSLContext} of the registry's HTTPS, when
     * the extension was built with {@link RegistryExtension.Builder#selfSignedTls()}; else empty.
     */
    default Optional<SelfSignedTls> tls() {
        return Optional.empty();
    }
}
