package org.stevedore.launcher;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.stevedore.tls.PemTls;
import org.stevedore.tls.SelfSignedCa;
import org.stevedore.tls.TlsException;

/**
 * Turns {@code http.tls} into a server {@link SSLContext}: from the configured PEM files, or in
 * self-signed mode from a private CA kept in a directory (made on first start, reused after, so
 * clients configured once keep working), and says what clients must do to trust it.
 */
final class TlsSetup {
    private TlsSetup() {
    }

    /**
     * The context, and for self-signed mode where the CA certificate is.
     *
     * @param caCertificate the CA certificate file clients must trust (self-signed mode only)
     */
    record Prepared(SSLContext context, Optional<Path> caCertificate, List<String> hosts) {
        /**
         * Tells the operator how clients trust the CA, now that the port is known: the exact
         * commands for Docker's and containers' (podman, skopeo, buildah) certificate folders.
         */
        void printInstructions(PrintWriter out, int port) {
            caCertificate.ifPresent(ca -> {
                out.println("TLS with a private CA: clients must trust " + ca + " (keys are kept apart, in "
                        + SelfSignedCa.privateDirectory(ca.getParent()) + ")");
                for (String host : hosts) {
                    String hostPort = (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
                    for (String folder : new String[] {"/etc/docker/certs.d/", "/etc/containers/certs.d/"}) {
                        String directory = folder + hostPort;
                        out.println("  mkdir -p " + directory + " && cp " + ca + " " + directory + "/ca.crt");
                    }
                }
                out.println("  (the first for Docker, the second for podman, skopeo and buildah; or --cert-dir "
                        + ca.getParent() + ", which holds only ca.crt; curl: --cacert " + ca + ")");
            });
        }
    }

    static Prepared prepare(TlsConfig tls, StorageConfig storage) {
        try {
            if (tls.isSelfSigned()) {
                Path directory = tls.selfSignedDir().orElseGet(() -> defaultDirectory(storage)).toAbsolutePath().normalize();
                SelfSignedCa ca;
                try {
                    ca = SelfSignedCa.loadOrCreate(directory, tls.selfSignedHosts());
                } catch (IOException e) {
                    throw new ConfigException("cannot write the self-signed certificate to " + directory + ": "
                            + org.stevedore.storage.fs.StorageRoot.reason(e));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException("http.tls.selfsigned.hosts: " + e.getMessage());
                }
                Path keys = SelfSignedCa.privateDirectory(directory);
                SSLContext context = PemTls.load(keys.resolve(SelfSignedCa.SERVER_CERTIFICATE),
                        keys.resolve(SelfSignedCa.SERVER_KEY), tls.clientCas(), tls.minimum());
                return new Prepared(context, Optional.of(directory.resolve(SelfSignedCa.CA_CERTIFICATE)),
                        tls.selfSignedHosts());
            }
            SSLContext context = PemTls.load(tls.certificate().orElseThrow(), tls.key().orElseThrow(),
                    tls.clientCas(), tls.minimum());
            return new Prepared(context, Optional.empty(), List.of());
        } catch (TlsException e) {
            throw new ConfigException("http.tls: " + e.getMessage(), e);
        }
    }

    /** {@code tls} beside the storage root (./tls for ./data), or ./tls when storage has no root. */
    static Path defaultDirectory(StorageConfig storage) {
        if (storage.driver() instanceof StorageConfig.Driver.Filesystem fs) {
            return fs.root().toAbsolutePath().normalize().resolveSibling("tls");
        }
        return Path.of("tls");
    }
}
