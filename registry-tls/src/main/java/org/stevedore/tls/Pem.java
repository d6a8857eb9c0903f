package org.stevedore.tls;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * PEM in and out: certificates ({@code BEGIN CERTIFICATE}, several per file for a chain or a CA
 * bundle) and private keys in PKCS#8 ({@code BEGIN PRIVATE KEY}), PKCS#1 ({@code BEGIN RSA PRIVATE
 * KEY}) or SEC1 ({@code BEGIN EC PRIVATE KEY}, possibly after an {@code EC PARAMETERS} block), the
 * forms openssl, cfssl and Go's crypto/tls write. Encrypted keys are refused: distribution cannot
 * read them either.
 */
final class Pem {
    private static final JcaX509CertificateConverter CERTIFICATES = new JcaX509CertificateConverter();
    private static final JcaPEMKeyConverter KEYS = new JcaPEMKeyConverter();

    private Pem() {
    }

    /** Every certificate in the file, in file order; at least one. */
    static List<X509Certificate> readCertificates(Path file) {
        List<X509Certificate> certificates = new ArrayList<>();
        for (Object object : readObjects(file)) {
            if (object instanceof X509CertificateHolder holder) {
                try {
                    certificates.add(CERTIFICATES.getCertificate(holder));
                } catch (CertificateException e) {
                    throw new TlsException(file + ": unreadable certificate: " + e.getMessage(), e);
                }
            }
        }
        if (certificates.isEmpty()) throw new TlsException(file + ": no PEM certificate (BEGIN CERTIFICATE) found");
        return certificates;
    }

    /** The one private key in the file. */
    static PrivateKey readPrivateKey(Path file) {
        PrivateKey key = null;
        for (Object object : readObjects(file)) {
            PrivateKey found;
            try {
                if (object instanceof PEMKeyPair pair) {
                    found = KEYS.getKeyPair(pair).getPrivate();
                } else if (object instanceof PrivateKeyInfo info) {
                    found = KEYS.getPrivateKey(info);
                } else if (object instanceof PEMEncryptedKeyPair || object instanceof PKCS8EncryptedPrivateKeyInfo) {
                    throw new TlsException(file + ": the private key is encrypted; give an unencrypted key"
                            + " (e.g. openssl pkey -in KEY -out plain.key) and protect the file instead");
                } else {
                    continue; // EC PARAMETERS blocks and certificates next to the key are fine
                }
            } catch (IOException e) {
                throw new TlsException(file + ": unreadable private key: " + e.getMessage(), e);
            }
            if (key != null) throw new TlsException(file + ": more than one private key");
            key = found;
        }
        if (key == null) throw new TlsException(file + ": no PEM private key (BEGIN PRIVATE KEY, BEGIN RSA PRIVATE KEY"
                + " or BEGIN EC PRIVATE KEY) found");
        return key;
    }

    static String certificate(X509Certificate certificate) {
        return write(certificate);
    }

    /** PKCS#8, {@code BEGIN PRIVATE KEY}: what every TLS tool reads. */
    static String privateKey(PrivateKey key) {
        return write(new PemObject("PRIVATE KEY", key.getEncoded()));
    }

    static List<Object> parse(String pem, String source) {
        return readObjects(new StringReader(pem), source);
    }

    private static List<Object> readObjects(Path file) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII)) {
            return readObjects(reader, file.toString());
        } catch (IOException e) {
            throw new TlsException("cannot read " + file + ": " + e, e);
        }
    }

    private static List<Object> readObjects(Reader reader, String source) {
        List<Object> objects = new ArrayList<>();
        try (PEMParser parser = new PEMParser(reader)) {
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                objects.add(object);
            }
        } catch (IOException | RuntimeException e) {
            throw new TlsException(source + ": not valid PEM: " + e.getMessage(), e);
        }
        return objects;
    }

    private static String write(Object object) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }
}
