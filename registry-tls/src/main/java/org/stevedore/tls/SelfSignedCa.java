package org.stevedore.tls;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A private certificate authority and a server certificate it issued for given host names, so a
 * registry can speak HTTPS in one step: clients trust the CA certificate (for Docker, copy it to
 * {@code /etc/docker/certs.d/HOST:PORT/ca.crt}) and verify host names as usual.
 *
 * <p>Keys are EC P-256, signatures SHA-256 with ECDSA; names that are IP literals become IP
 * subject alternative names, the others DNS names (Go clients such as Docker ignore the common
 * name). The CA is valid ten years, the server certificate 825 days, the longest clients accept.
 * Immutable and thread-safe. Published API.
 */
public final class SelfSignedCa {
    /** File names {@link #writeTo} and {@link #loadOrCreate} use. */
    public static final String CA_CERTIFICATE = "ca.crt";
    public static final String CA_KEY = "ca.key";
    public static final String SERVER_CERTIFICATE = "server.crt";
    public static final String SERVER_KEY = "server.key";
    /**
     * Where {@link #loadOrCreate} keeps the keys and the server certificate, below its directory,
     * so that the directory itself holds only {@value #CA_CERTIFICATE}: podman's and skopeo's
     * {@code --cert-dir} takes every {@code *.key} there for a client key and wants its
     * certificate beside it, so a CA key beside {@code ca.crt} makes them fail.
     */
    public static final String PRIVATE_DIRECTORY = "private";

    private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(?:\\.[0-9]{1,3}){3}");
    private static final Duration CA_VALIDITY = Duration.ofDays(3650);
    private static final Duration SERVER_VALIDITY = Duration.ofDays(825);
    private static final Duration CLOCK_SKEW = Duration.ofHours(1);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final X509Certificate caCertificate;
    private final PrivateKey caKey;
    private final X509Certificate serverCertificate;
    private final PrivateKey serverKey;
    private final List<String> hostNames;

    private SelfSignedCa(X509Certificate caCertificate, PrivateKey caKey, List<String> hostNames) {
        if (hostNames.isEmpty()) throw new IllegalArgumentException("at least one host name is needed");
        for (String host : hostNames) {
            if (host.isBlank() || host.contains("/") || host.contains(" ")) {
                throw new IllegalArgumentException("not a host name or IP address: '" + host + "'");
            }
        }
        this.caCertificate = caCertificate;
        this.caKey = caKey;
        this.hostNames = List.copyOf(hostNames);
        KeyPair server = newKeyPair();
        this.serverKey = server.getPrivate();
        this.serverCertificate = issue(server, new X500Name("CN=" + hostNames.get(0)), false, sans(hostNames));
    }

    /** A new CA, and a server certificate for these names (e.g. {@code localhost}, {@code 127.0.0.1}). */
    public static SelfSignedCa generate(List<String> hostNames) {
        KeyPair ca = newKeyPair();
        X500Name name = new X500Name("CN=Stevedore private CA " + Long.toHexString(RANDOM.nextLong()));
        X509Certificate certificate = sign(ca.getPublic(), name, name, ca.getPrivate(), true, null, CA_VALIDITY);
        return new SelfSignedCa(certificate, ca.getPrivate(), hostNames);
    }

    /**
     * Reuses the CA in {@code directory} ({@value #CA_CERTIFICATE}, and {@value #CA_KEY} in
     * {@link #PRIVATE_DIRECTORY}) if there is one, else makes one; then issues a fresh server
     * certificate for these names and writes {@code directory/ca.crt} and, in the private
     * directory (owner only), {@code ca.key}, {@code server.crt} and {@code server.key}. Keeping the
     * CA means clients configured once keep working across restarts and host name changes. A CA
     * key left beside {@code ca.crt} by earlier versions is moved into the private directory.
     */
    public static SelfSignedCa loadOrCreate(Path directory, List<String> hostNames) throws IOException {
        Path keys = privateDirectory(directory);
        Path caCertificate = directory.resolve(CA_CERTIFICATE);
        Path caKey = keys.resolve(CA_KEY);
        Path oldCaKey = directory.resolve(CA_KEY);
        if (!Files.isRegularFile(caKey) && Files.isRegularFile(oldCaKey)) caKey = oldCaKey;
        SelfSignedCa ca;
        if (Files.isRegularFile(caCertificate) && Files.isRegularFile(caKey)) {
            ca = new SelfSignedCa(Pem.readCertificates(caCertificate).get(0), Pem.readPrivateKey(caKey), hostNames);
        } else {
            ca = generate(hostNames);
        }
        createPrivateDirectory(keys);
        writePrivate(keys.resolve(CA_KEY), Pem.privateKey(ca.caKey));
        writePrivate(keys.resolve(SERVER_KEY), ca.serverKeyPem());
        Files.writeString(keys.resolve(SERVER_CERTIFICATE), ca.serverCertificatePem(), StandardCharsets.US_ASCII);
        Files.writeString(caCertificate, ca.caCertificatePem(), StandardCharsets.US_ASCII);
        for (String old : new String[] {CA_KEY, SERVER_KEY, SERVER_CERTIFICATE}) {
            Files.deleteIfExists(directory.resolve(old)); // the earlier flat layout's
        }
        return ca;
    }

    /** The directory {@link #loadOrCreate} keeps keys and the server certificate in. */
    public static Path privateDirectory(Path directory) {
        return directory.resolve(PRIVATE_DIRECTORY);
    }

    private static void createPrivateDirectory(Path keys) throws IOException {
        if (Files.isDirectory(keys)) return;
        try {
            Files.createDirectories(keys, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createDirectories(keys);
        }
    }

    /**
     * Writes the CA and server certificates and keys into one directory (for a test's PEM files);
     * key files are readable by the owner only. {@link #loadOrCreate} keeps keys apart instead.
     */
    public void writeTo(Path directory) throws IOException {
        Files.createDirectories(directory);
        writePrivate(directory.resolve(CA_KEY), Pem.privateKey(caKey));
        Files.writeString(directory.resolve(CA_CERTIFICATE), caCertificatePem(), StandardCharsets.US_ASCII);
        writePrivate(directory.resolve(SERVER_KEY), serverKeyPem());
        Files.writeString(directory.resolve(SERVER_CERTIFICATE), serverCertificatePem(), StandardCharsets.US_ASCII);
    }

    public X509Certificate caCertificate() {
        return caCertificate;
    }

    /** The CA certificate as PEM: what clients trust ({@code ca.crt}). */
    public String caCertificatePem() {
        return Pem.certificate(caCertificate);
    }

    public X509Certificate serverCertificate() {
        return serverCertificate;
    }

    public String serverCertificatePem() {
        return Pem.certificate(serverCertificate);
    }

    /** The server's private key as unencrypted PKCS#8 PEM. */
    public String serverKeyPem() {
        return Pem.privateKey(serverKey);
    }

    /** The names the server certificate is valid for. */
    public List<String> hostNames() {
        return hostNames;
    }

    /** A server context presenting the server certificate; TLS 1.2 and newer. */
    public SSLContext serverContext() {
        return PemTls.server(List.of(serverCertificate), serverKey, List.of(), TlsVersion.TLS_1_2);
    }

    /** A client context trusting this CA only. */
    public SSLContext clientContext() {
        return PemTls.client(List.of(caCertificate));
    }

    /**
     * A client context trusting this CA and presenting a client certificate it issues for
     * {@code commonName}, for servers that require client certificates issued by this CA.
     */
    public SSLContext clientContextWithCertificate(String commonName) {
        KeyPair client = newKeyPair();
        X509Certificate certificate = issue(client, new X500Name("CN=" + commonName), true, null);
        return PemTls.client(List.of(caCertificate), List.of(certificate, caCertificate), client.getPrivate());
    }

    private X509Certificate issue(KeyPair subject, X500Name name, boolean client, GeneralNames sans) {
        X500Name issuer = X500Name.getInstance(caCertificate.getSubjectX500Principal().getEncoded());
        if (!client) return sign(subject.getPublic(), name, issuer, caKey, false, sans, SERVER_VALIDITY);
        return build(subject.getPublic(), name, issuer, caKey, SERVER_VALIDITY, builder -> {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
        });
    }

    private static X509Certificate sign(java.security.PublicKey subjectKey, X500Name subject, X500Name issuer,
                                        PrivateKey issuerKey, boolean ca, GeneralNames sans, Duration validity) {
        return build(subjectKey, subject, issuer, issuerKey, validity, builder -> {
            if (ca) {
                builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            } else {
                builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
                builder.addExtension(Extension.extendedKeyUsage, false,
                        new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
                builder.addExtension(Extension.subjectAlternativeName, false, sans);
            }
        });
    }

    private interface Extensions {
        void add(X509v3CertificateBuilder builder) throws CertIOException;
    }

    private static X509Certificate build(java.security.PublicKey subjectKey, X500Name subject, X500Name issuer,
                                         PrivateKey issuerKey, Duration validity, Extensions extensions) {
        Instant now = Instant.now();
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
                    new BigInteger(127, RANDOM).add(BigInteger.ONE), Date.from(now.minus(CLOCK_SKEW)),
                    Date.from(now.plus(validity)), subject, subjectKey);
            builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(subjectKey));
            extensions.add(builder);
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
        } catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
            throw new TlsException("cannot issue a certificate for " + subject + ": " + e.getMessage(), e);
        }
    }

    private static GeneralNames sans(List<String> hostNames) {
        List<GeneralName> names = new ArrayList<>();
        for (String host : hostNames) {
            String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
            boolean ip = IPV4.matcher(bare).matches() || bare.contains(":");
            if (ip) {
                try {
                    // A literal: InetAddress parses it without asking DNS.
                    names.add(new GeneralName(GeneralName.iPAddress, InetAddress.getByName(bare).getHostAddress()));
                } catch (IOException e) {
                    throw new IllegalArgumentException("not an IP address: '" + host + "'", e);
                }
            } else {
                names.add(new GeneralName(GeneralName.dNSName, bare));
            }
        }
        return new GeneralNames(names.toArray(new GeneralName[0]));
    }

    private static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new TlsException("cannot make an EC P-256 key: " + e.getMessage(), e);
        }
    }

    private static void writePrivate(Path file, String pem) throws IOException {
        Files.deleteIfExists(file);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(file);
        }
        Files.writeString(file, pem, StandardCharsets.US_ASCII);
    }
}
