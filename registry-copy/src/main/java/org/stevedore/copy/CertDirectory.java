package org.stevedore.copy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.stevedore.tls.PemTls;
import org.stevedore.tls.TlsException;

/**
 * A certificate directory as docker's {@code certs.d/HOST/} and skopeo's {@code --cert-dir} read
 * it: every {@code *.crt} is a CA trusted besides the system's, and a {@code NAME.cert} with its
 * {@code NAME.key} is the client certificate presented to a registry that asks for one (the
 * first by name, when there are several). PEM files; keys in PKCS#8, PKCS#1 or SEC1 form.
 */
final class CertDirectory {
    private CertDirectory() {
    }

    /** A client context that verifies servers against the directory's CAs and the system's. */
    static SSLContext context(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) throw new CopyException("certificate directory " + directory + " does not exist");
        List<Path> files;
        try (Stream<Path> listed = Files.list(directory)) {
            files = listed.sorted().toList();
        }
        try {
            List<X509Certificate> trusted = new ArrayList<>(SystemCas.LIST);
            for (Path file : files) {
                if (file.getFileName().toString().endsWith(".crt")) trusted.addAll(PemTls.readCertificates(file));
            }
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (!name.endsWith(".cert")) continue;
                Path key = directory.resolve(name.substring(0, name.length() - ".cert".length()) + ".key");
                if (!Files.isRegularFile(key)) throw new CopyException(file + " has no key beside it (" + key + ")");
                List<X509Certificate> chain = PemTls.readCertificates(file);
                PrivateKey privateKey = PemTls.readPrivateKey(key);
                return PemTls.client(trusted, chain, privateKey);
            }
            return PemTls.client(trusted);
        } catch (TlsException e) {
            throw new CopyException("certificate directory " + directory + ": " + e.getMessage());
        }
    }

    /** The CAs the JDK trusts by default, which a certificate directory adds to (as Go's system pool); read once. */
    private static final class SystemCas {
        static final List<X509Certificate> LIST = List.copyOf(read());
    }

    private static List<X509Certificate> read() {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            List<X509Certificate> cas = new ArrayList<>();
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) cas.addAll(List.of(x509.getAcceptedIssuers()));
            }
            return cas;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK's default trust store cannot be read", e);
        }
    }
}
