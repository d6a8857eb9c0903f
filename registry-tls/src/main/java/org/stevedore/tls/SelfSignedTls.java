package org.stevedore.tls;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * Self-signed HTTPS for an embedded registry in one line, and everything a client needs to trust it:
 *
 * <pre>{@code
 * SelfSignedTls tls = SelfSignedTls.forLoopback();
 * try (Registry registry = Registry.builder().tls(tls.serverContext()).start()) {
 *     HttpClient client = HttpClient.newBuilder().sslContext(tls.clientContext()).build();
 *     tls.writeCaCertificate(certDir);      // ca.crt, for skopeo --cert-dir or docker's certs.d
 *     KeyStore trust = tls.trustStore();    // for clients configured with a KeyStore
 * }
 * }</pre>
 *
 * A fresh private CA ({@link SelfSignedCa}) per instance; its server certificate names the given
 * hosts, so clients keep host name verification on. Contexts are made once and shared: an
 * {@link SSLContext} is thread-safe, and one instance may serve several registries. Immutable and
 * thread-safe. Published API.
 */
public final class SelfSignedTls {
    /** The names a loopback registry is reached by: {@code localhost}, {@code 127.0.0.1} and {@code ::1}. */
    public static final List<String> LOOPBACK = List.of("localhost", "127.0.0.1", "::1");
    /** The alias of the CA certificate in {@link #trustStore()}. */
    public static final String TRUST_STORE_ALIAS = "stevedore-ca";

    private final SelfSignedCa ca;
    private final SSLContext serverContext;
    private final SSLContext clientContext;

    private SelfSignedTls(SelfSignedCa ca) {
        this.ca = ca;
        this.serverContext = ca.serverContext();
        this.clientContext = ca.clientContext();
    }

    /** A new CA and server certificate for {@link #LOOPBACK}, what an embedded registry listens on. */
    public static SelfSignedTls forLoopback() {
        return forHosts(LOOPBACK);
    }

    /** A new CA and server certificate for these host names and IP addresses. */
    public static SelfSignedTls forHosts(List<String> hostNames) {
        return new SelfSignedTls(SelfSignedCa.generate(hostNames));
    }

    /** For {@code Registry.builder().tls(...)}: presents the server certificate, TLS 1.2 and newer. */
    public SSLContext serverContext() {
        return serverContext;
    }

    /** For clients: trusts this CA only, host names verified as usual. */
    public SSLContext clientContext() {
        return clientContext;
    }

    public X509Certificate caCertificate() {
        return ca.caCertificate();
    }

    /** The CA certificate as PEM, the content of {@code ca.crt}. */
    public String caCertificatePem() {
        return ca.caCertificatePem();
    }

    /** The names the server certificate is valid for. */
    public List<String> hostNames() {
        return ca.hostNames();
    }

    /** The CA and keys behind this, e.g. to write them all with {@link SelfSignedCa#writeTo}. */
    public SelfSignedCa ca() {
        return ca;
    }

    /** A new in-memory PKCS#12 key store holding the CA certificate as a trusted entry. */
    public KeyStore trustStore() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry(TRUST_STORE_ALIAS, ca.caCertificate());
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new TlsException("cannot make a trust store: " + e.getMessage(), e);
        }
    }

    /**
     * Writes {@value SelfSignedCa#CA_CERTIFICATE} into {@code directory} (created if missing), the
     * layout of skopeo's {@code --cert-dir} and Docker's {@code /etc/docker/certs.d/HOST:PORT/}.
     *
     * @return the written file
     */
    public Path writeCaCertificate(Path directory) throws IOException {
        Files.createDirectories(directory);
        return Files.writeString(directory.resolve(SelfSignedCa.CA_CERTIFICATE), caCertificatePem(),
                StandardCharsets.US_ASCII);
    }

    /**
     * Writes {@link #trustStore()} as a PKCS#12 file, e.g. for a JVM started with
     * {@code -Djavax.net.ssl.trustStore=FILE -Djavax.net.ssl.trustStorePassword=PASSWORD}.
     *
     * @return the written file
     */
    public Path writeTrustStore(Path file, char[] password) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        try (OutputStream out = Files.newOutputStream(file)) {
            trustStore().store(out, password);
        } catch (GeneralSecurityException e) {
            throw new TlsException("cannot write the trust store " + file + ": " + e.getMessage(), e);
        }
        return file;
    }

    @Override
    public String toString() {
        return "SelfSignedTls[" + ca.caCertificate().getSubjectX500Principal().getName() + " for " + hostNames() + "]";
    }
}
