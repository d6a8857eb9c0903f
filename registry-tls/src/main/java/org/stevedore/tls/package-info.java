/**
 * TLS for a registry: PEM certificates and keys to {@link javax.net.ssl.SSLContext}s
 * ({@link org.stevedore.tls.PemTls}) and a one-step private CA with a server certificate
 * ({@link org.stevedore.tls.SelfSignedCa}), and {@link org.stevedore.tls.SelfSignedTls} for one-line
 * HTTPS in embedded registries and tests. Depends on BouncyCastle for PEM and X.509; core does
 * not depend on this module, it only takes an {@code SSLContext}.
 */
package org.stevedore.tls;
