package org.stevedore.auth.token;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.function.Consumer;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A stand-in for an external token server (docker_auth, Harbor's core...): a test CA whose
 * certificate is the registry's rootcertbundle, an RSA signing certificate issued by that CA, and
 * a signer for tokens with whatever header and claims a test wants.
 */
final class TestTokenServer {
    static final String ISSUER = "test-token-server";
    static final String SERVICE = "registry.test";
    private static final ObjectMapper JSON = new ObjectMapper();

    final KeyPair caKeys = generate("EC");
    final X509Certificate caCert;
    final KeyPair signingKeys = generate("RSA");
    final X509Certificate signingCert;

    TestTokenServer() throws Exception {
        caCert = certificate("CN=Stevedore Test CA", caKeys.getPublic(), "CN=Stevedore Test CA", caKeys.getPrivate(),
                true, Duration.ofDays(1));
        signingCert = certificate("CN=token signer", signingKeys.getPublic(), "CN=Stevedore Test CA",
                caKeys.getPrivate(), false, Duration.ofDays(1));
    }

    static KeyPair generate(String algorithm) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            if (algorithm.equals("EC")) generator.initialize(new ECGenParameterSpec("secp256r1"));
            else generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    static X509Certificate certificate(String subject, PublicKey key, String issuer, PrivateKey issuerKey, boolean ca,
                                       Duration validity) throws Exception {
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name(issuer),
                BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minusSeconds(3600)), Date.from(now.plus(validity)),
                new X500Name(subject), key);
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        builder.addExtension(Extension.keyUsage, true,
                new KeyUsage(ca ? KeyUsage.keyCertSign | KeyUsage.digitalSignature : KeyUsage.digitalSignature));
        String algorithm = issuerKey.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
        return new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder(algorithm).build(issuerKey)));
    }

    /** Writes the CA certificate as a PEM bundle. */
    Path writeBundle(Path file) throws Exception {
        return Files.writeString(file, pem(caCert));
    }

    static String pem(X509Certificate certificate) throws Exception {
        return "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(certificate.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
    }

    static String x5c(X509Certificate certificate) {
        try {
            return Base64.getEncoder().encodeToString(certificate.getEncoded());
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    /** Claims for {@code subject} granting {@code actions} on repository {@code name}, valid 5 minutes. */
    static ObjectNode claims(String subject, String name, String... actions) {
        long now = Instant.now().getEpochSecond();
        ObjectNode claims = JSON.createObjectNode().put("iss", ISSUER).put("sub", subject).put("aud", SERVICE)
                .put("exp", now + 300).put("nbf", now - 5).put("iat", now).put("jti", "j" + now);
        ObjectNode entry = claims.putArray("access").addObject().put("type", "repository").put("name", name);
        for (String action : actions) entry.withArray("actions").add(action);
        return claims;
    }

    /** A token signed RS256 by the CA-issued certificate, carried in x5c. */
    String chainToken(ObjectNode claims) {
        return sign(JwsAlgorithm.RS256, signingKeys.getPrivate(),
                header -> header.putArray("x5c").add(x5c(signingCert)).add(x5c(caCert)), claims);
    }

    /** A token signed ES256 by the CA key itself, named by its libtrust key id. */
    String kidToken(ObjectNode claims) {
        return sign(JwsAlgorithm.ES256, caKeys.getPrivate(), header -> header.put("kid", KeyIds.libtrust(caCert.getPublicKey())),
                claims);
    }

    static String sign(JwsAlgorithm algorithm, PrivateKey key, Consumer<ObjectNode> header, ObjectNode claims) {
        ObjectNode head = JSON.createObjectNode().put("typ", "JWT").put("alg", algorithm.name());
        header.accept(head);
        try {
            String input = b64(JSON.writeValueAsBytes(head)) + "." + b64(JSON.writeValueAsBytes(claims));
            return input + "." + b64(algorithm.sign(key, input.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException | IOException e) {
            throw new AssertionError(e);
        }
    }

    static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
