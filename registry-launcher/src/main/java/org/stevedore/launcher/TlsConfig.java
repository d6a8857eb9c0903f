package org.stevedore.launcher;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.stevedore.tls.TlsVersion;

/**
 * distribution's {@code http.tls}, plus Stevedore's one-step self-signed mode: either a
 * certificate and key from files, or {@code selfsigned.hosts} (a private CA and a server
 * certificate for those names, kept in {@code selfsigned.directory}).
 *
 * @param certificate      {@code certificate}: PEM server certificate, then intermediates
 * @param key              {@code key}: its PEM private key
 * @param clientCas        {@code clientcas}: CA bundles; when set, clients must present a certificate they issued
 * @param minimum          {@code minimumtls}: tls1.2 (default) or tls1.3
 * @param selfSignedHosts  {@code selfsigned.hosts}: names the generated certificate is valid for
 * @param selfSignedDir    {@code selfsigned.directory}: where ca.crt and the server files go
 */
record TlsConfig(Optional<Path> certificate, Optional<Path> key, List<Path> clientCas, TlsVersion minimum,
                 List<String> selfSignedHosts, Optional<Path> selfSignedDir) {
    TlsConfig {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(key, "key");
        clientCas = List.copyOf(clientCas);
        Objects.requireNonNull(minimum, "minimum");
        selfSignedHosts = List.copyOf(selfSignedHosts);
        Objects.requireNonNull(selfSignedDir, "selfSignedDir");
    }

    boolean isSelfSigned() {
        return certificate.isEmpty() && !selfSignedHosts.isEmpty();
    }

    /** Self-signed for these hosts in this directory, keeping minimum version and client CAs. */
    TlsConfig selfSigned(List<String> hosts, Optional<Path> directory) {
        return new TlsConfig(Optional.empty(), Optional.empty(), clientCas, minimum, hosts,
                directory.isPresent() ? directory : selfSignedDir);
    }

    static TlsConfig selfSignedOnly(List<String> hosts, Optional<Path> directory) {
        return new TlsConfig(Optional.empty(), Optional.empty(), List.of(), TlsVersion.TLS_1_2, hosts, directory);
    }
}
