package org.stevedore.junit5;

import java.net.URI;

/**
 * The little a test needs to reach a registry: its address. Injected into test and lifecycle
 * methods by {@link RegistryExtension}; a {@link org.stevedore.registry.Registry} parameter gets
 * the whole running registry instead. Published API.
 */
public interface RegistryInfo {

    /** The base URL, e.g. {@code http://127.0.0.1:49321}. */
    URI url();

    /** {@code host:port} for image references, e.g. {@code 127.0.0.1:49321}. */
    String hostPort();

    /** The port listened on. */
    int port();
}
