package org.stevedore.tls;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Builds server and client {@link SSLContext}s from PEM files, as distribution's
 * {@code http.tls} section describes them: a certificate file (the server certificate first,
 * then any intermediates), a private key file, optional client CA bundles and a minimum version.
 *
 * <p>Server contexts enable only TLS 1.2 and newer (1.3 alone for {@link TlsVersion#TLS_1_3});
 * with client CAs every client must present a certificate issued by one of them, or the handshake
 * fails. Published API.
 */
public final class PemTls {
    private static final char[] NO_PASSWORD = new char[0];

    private PemTls() {
    }

    /**
     * A server context from PEM files.
     *
     * @param certificate server certificate, then intermediates, as PEM
     * @param key         the certificate's private key: PKCS#8, PKCS#1 (RSA) or SEC1 (EC), unencrypted
     * @param clientCas   PEM bundles of CAs whose client certificates are required; empty: none asked for
     * @param minimum     lowest TLS version accepted
     * @throws TlsException naming the file and the reason when something cannot be read or does not fit
     */
    public static SSLContext load(Path certificate, Path key, List<Path> clientCas, TlsVersion minimum) {
        List<X509Certificate> chain = Pem.readCertificates(certificate);
        PrivateKey privateKey = Pem.readPrivateKey(key);
        if (!matches(privateKey, chain.get(0).getPublicKey())) {
            throw new TlsException(key + " is not the private key of the first certificate in " + certificate);
        }
        List<X509Certificate> trusted = new ArrayList<>();
        for (Path bundle : clientCas) trusted.addAll(Pem.readCertificates(bundle));
        return server(chain, privateKey, trusted, minimum);
    }

    /**
     * A server context from certificates and a key in memory.
     *
     * @param clientCas CAs whose client certificates are required; empty: none asked for
     */
    public static SSLContext server(List<X509Certificate> chain, PrivateKey key, List<X509Certificate> clientCas,
                                    TlsVersion minimum) {
        Objects.requireNonNull(minimum, "minimum");
        try {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("server", key, NO_PASSWORD, chain.toArray(new X509Certificate[0]));
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keys, NO_PASSWORD);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers.getKeyManagers(),
                    clientCas.isEmpty() ? null : trustManagers(clientCas).getTrustManagers(), null);
            boolean requireClientCertificates = !clientCas.isEmpty();
            String[] protocols = minimum.protocols().toArray(new String[0]);
            return new ConfiguredSslContext(context, engine -> {
                engine.setEnabledProtocols(protocols);
                if (requireClientCertificates) engine.setNeedClientAuth(true);
            });
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new TlsException("cannot build the TLS context: " + e.getMessage(), e);
        }
    }

    /** A client context that trusts these CAs (and only them); host names are still verified by the client. */
    public static SSLContext client(List<X509Certificate> trustedCas) {
        return client(trustedCas, null, null);
    }

    /** A client context that trusts these CAs and presents this certificate and key when asked. */
    public static SSLContext client(List<X509Certificate> trustedCas, List<X509Certificate> chain, PrivateKey key) {
        try {
            KeyManagerFactory keyManagers = null;
            if (chain != null) {
                KeyStore keys = KeyStore.getInstance("PKCS12");
                keys.load(null, null);
                keys.setKeyEntry("client", key, NO_PASSWORD, chain.toArray(new X509Certificate[0]));
                keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keyManagers.init(keys, NO_PASSWORD);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers == null ? null : keyManagers.getKeyManagers(),
                    trustManagers(trustedCas).getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new TlsException("cannot build the TLS context: " + e.getMessage(), e);
        }
    }

    /** Reads every certificate in a PEM file, e.g. a CA bundle. */
    public static List<X509Certificate> readCertificates(Path file) {
        return Pem.readCertificates(file);
    }

    /** Reads the one private key in a PEM file (PKCS#8, PKCS#1 or SEC1). */
    public static PrivateKey readPrivateKey(Path file) {
        return Pem.readPrivateKey(file);
    }

    private static TrustManagerFactory trustManagers(List<X509Certificate> cas)
            throws GeneralSecurityException, java.io.IOException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        for (int i = 0; i < cas.size(); i++) trust.setCertificateEntry("ca-" + i, cas.get(i));
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        return factory;
    }

    /** Signs a probe with the key and checks it with the certificate's public key: works for RSA and EC alike. */
    private static boolean matches(PrivateKey key, PublicKey publicKey) {
        if (!key.getAlgorithm().equals(publicKey.getAlgorithm())) return false;
        String algorithm = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256with" + key.getAlgorithm();
        try {
            byte[] probe = "stevedore key check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
