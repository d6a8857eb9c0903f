package org.stevedore.auth.token;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.EdECPoint;
import java.security.spec.EdECPublicKeySpec;
import java.security.spec.EllipticCurve;
import java.security.spec.NamedParameterSpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One JWK (RFC 7517 §4, RFC 7518 §6, RFC 8037 for Ed25519) of a key set to a {@link JsonWebKey},
 * checked as strictly as go-jose, which distribution uses: EC coordinates of the curve's full
 * size and on the curve, Ed25519 points on the curve,
 * RSA moduli of at least 2048 bits (RFC 7518 §3.3), an {@code alg} that fits the key, and an
 * {@code x5c} whose first certificate holds this very key (and matches {@code x5t}/{@code x5t#S256}).
 * The certificates are not checked against the root bundle: the key set file is itself trusted,
 * as in distribution. Every failure is an {@link IllegalArgumentException} saying what is wrong.
 */
final class JwkParser {
    /** JWK {@code crv} → JDK curve name and coordinate size in bytes. */
    private static final Map<String, Curve> CURVES = Map.of(
            "P-256", new Curve("secp256r1", 32),
            "P-384", new Curve("secp384r1", 48),
            "P-521", new Curve("secp521r1", 66));
    private static final int MIN_RSA_BITS = 2048;
    /** Ed25519's field prime 2^255 - 19 and curve constant d = -121665/121666 (RFC 8032 §5.1). */
    private static final BigInteger ED25519_P = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));
    private static final BigInteger ED25519_D = BigInteger.valueOf(-121665)
            .multiply(BigInteger.valueOf(121666).modInverse(ED25519_P)).mod(ED25519_P);

    private record Curve(String jdkName, int bytes) {
    }

    private JwkParser() {
    }

    /** The key {@code node} describes, which must carry a {@code kid}. */
    static JsonWebKey parse(JsonNode node) {
        if (!node.isObject()) throw new IllegalArgumentException("is not a JSON object");
        String kid = requiredText(node, "kid");
        String kty = requiredText(node, "kty");
        Optional<String> use = optionalText(node, "use");
        Optional<String> alg = optionalText(node, "alg");
        Set<String> keyOps = keyOps(node);
        PublicKey key = switch (kty) {
            case "RSA" -> rsa(node);
            case "EC" -> ec(node);
            case "OKP" -> ed25519(node);
            default -> throw new IllegalArgumentException("kty \"" + kty + "\" is not supported (RSA, EC and OKP are)");
        };
        alg.flatMap(JwsAlgorithm::named).ifPresent(algorithm -> {
            if (!algorithm.fits(key)) {
                throw new IllegalArgumentException("alg " + algorithm + " does not fit its "
                        + JsonWebKey.describe(key) + " key");
            }
        });
        checkCertificates(node, key);
        return new JsonWebKey(kid, key, use, alg, keyOps);
    }

    private static PublicKey rsa(JsonNode node) {
        BigInteger modulus = new BigInteger(1, bytes(node, "n"));
        BigInteger exponent = new BigInteger(1, bytes(node, "e"));
        if (modulus.bitLength() < MIN_RSA_BITS) {
            throw new IllegalArgumentException("RSA modulus n has " + modulus.bitLength() + " bits; RFC 7518 requires at"
                    + " least " + MIN_RSA_BITS);
        }
        if (!exponent.testBit(0) || exponent.compareTo(BigInteger.valueOf(3)) < 0) {
            throw new IllegalArgumentException("RSA exponent e is not an odd number of at least 3");
        }
        try {
            return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(modulus, exponent));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a usable RSA key: " + e.getMessage(), e);
        }
    }

    private static PublicKey ec(JsonNode node) {
        String crv = requiredText(node, "crv");
        Curve curve = CURVES.get(crv);
        if (curve == null) {
            throw new IllegalArgumentException("crv \"" + crv + "\" is not supported (P-256, P-384 and P-521 are)");
        }
        BigInteger x = coordinate(node, "x", curve);
        BigInteger y = coordinate(node, "y", curve);
        try {
            AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
            parameters.init(new ECGenParameterSpec(curve.jdkName()));
            ECParameterSpec spec = parameters.getParameterSpec(ECParameterSpec.class);
            // The JDK builds a key from any two numbers; a point off the curve would open the
            // door to invalid-curve attacks, so it is refused here, as go-jose does.
            if (!onCurve(spec.getCurve(), x, y)) {
                throw new IllegalArgumentException("the point (x, y) is not on curve " + crv);
            }
            return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(new ECPoint(x, y), spec));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a usable " + crv + " key: " + e.getMessage(), e);
        }
    }

    /** RFC 8037 §2: {@code x} is the 32-byte RFC 8032 encoding: y little-endian, x's parity in the top bit. */
    private static PublicKey ed25519(JsonNode node) {
        String crv = requiredText(node, "crv");
        if (!crv.equals("Ed25519")) {
            throw new IllegalArgumentException("crv \"" + crv + "\" is not supported for OKP (Ed25519 is)");
        }
        byte[] encoded = bytes(node, "x");
        if (encoded.length != 32) throw new IllegalArgumentException("x has " + encoded.length + " bytes; 32 expected for Ed25519");
        boolean xOdd = (encoded[31] & 0x80) != 0;
        byte[] bigEndian = new byte[32];
        for (int i = 0; i < 32; i++) bigEndian[i] = encoded[31 - i];
        bigEndian[0] &= 0x7f;
        BigInteger y = new BigInteger(1, bigEndian);
        // As for EC: the JDK would accept a point off the curve until the first verification.
        if (!onEd25519(y, xOdd)) throw new IllegalArgumentException("x is not a point on Ed25519");
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(
                    new EdECPublicKeySpec(NamedParameterSpec.ED25519, new EdECPoint(xOdd, y)));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a usable Ed25519 key: " + e.getMessage(), e);
        }
    }

    /** RFC 8032 §5.1.3 decoding: y below p, and x² = (y² - 1) / (d y² + 1) a square (zero only with even x). */
    private static boolean onEd25519(BigInteger y, boolean xOdd) {
        BigInteger p = ED25519_P;
        if (y.compareTo(p) >= 0) return false;
        BigInteger y2 = y.multiply(y).mod(p);
        BigInteger x2 = y2.subtract(BigInteger.ONE).multiply(ED25519_D.multiply(y2).add(BigInteger.ONE).modInverse(p)).mod(p);
        if (x2.signum() == 0) return !xOdd;
        return x2.modPow(p.subtract(BigInteger.ONE).shiftRight(1), p).equals(BigInteger.ONE); // Euler's criterion
    }

    private static BigInteger coordinate(JsonNode node, String name, Curve curve) {
        byte[] bytes = bytes(node, name);
        // RFC 7518 §6.2.1.2: the full size of a coordinate of the curve, leading zeros kept.
        if (bytes.length != curve.bytes()) {
            throw new IllegalArgumentException(name + " has " + bytes.length + " bytes; " + curve.bytes()
                    + " expected for this curve");
        }
        return new BigInteger(1, bytes);
    }

    /** y² = x³ + ax + b (mod p), both coordinates below p. */
    private static boolean onCurve(EllipticCurve curve, BigInteger x, BigInteger y) {
        BigInteger p = ((ECFieldFp) curve.getField()).getP();
        if (x.compareTo(p) >= 0 || y.compareTo(p) >= 0) return false;
        BigInteger left = y.multiply(y).mod(p);
        BigInteger right = x.pow(3).add(curve.getA().multiply(x)).add(curve.getB()).mod(p);
        return left.equals(right);
    }

    private static void checkCertificates(JsonNode node, PublicKey key) {
        JsonNode x5c = node.path("x5c");
        if (x5c.isMissingNode()) return;
        if (!x5c.isArray() || x5c.isEmpty()) throw new IllegalArgumentException("x5c is not a list of certificates");
        byte[] leafDer;
        X509Certificate leaf;
        try {
            // RFC 7517 §4.7: standard base64 (not base64url) DER.
            leafDer = Base64.getDecoder().decode(x5c.get(0).asText());
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            leaf = (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(leafDer));
            for (int i = 1; i < x5c.size(); i++) {
                factory.generateCertificate(new ByteArrayInputStream(Base64.getDecoder().decode(x5c.get(i).asText())));
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("x5c holds something that is not a base64 DER certificate: "
                    + e.getMessage(), e);
        }
        if (!Arrays.equals(leaf.getPublicKey().getEncoded(), key.getEncoded())) {
            throw new IllegalArgumentException("the first x5c certificate holds another key than the JWK");
        }
        checkThumbprint(node, "x5t", "SHA-1", leafDer);
        checkThumbprint(node, "x5t#S256", "SHA-256", leafDer);
    }

    private static void checkThumbprint(JsonNode node, String name, String digest, byte[] der) {
        Optional<String> given = optionalText(node, name);
        if (given.isEmpty()) return;
        try {
            byte[] actual = MessageDigest.getInstance(digest).digest(der);
            byte[] expected = decode(given.get(), name);
            // RFC 7517 §4.8 leaves open whether the digest is bytes or hex; go-jose takes both.
            String hex = java.util.HexFormat.of().formatHex(actual);
            boolean hexForm = new String(expected, java.nio.charset.StandardCharsets.ISO_8859_1).equalsIgnoreCase(hex);
            if (!Arrays.equals(actual, expected) && !hexForm) {
                throw new IllegalArgumentException(name + " is not the thumbprint of the first x5c certificate");
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(digest + " is part of every JDK", e);
        }
    }

    private static Set<String> keyOps(JsonNode node) {
        JsonNode ops = node.path("key_ops");
        if (ops.isMissingNode()) return Set.of();
        if (!ops.isArray()) throw new IllegalArgumentException("key_ops is not a list of strings");
        Set<String> result = new HashSet<>();
        for (JsonNode op : ops) {
            if (!op.isTextual()) throw new IllegalArgumentException("key_ops is not a list of strings");
            result.add(op.asText());
        }
        return result;
    }

    private static byte[] bytes(JsonNode node, String name) {
        byte[] bytes = decode(requiredText(node, name), name);
        if (bytes.length == 0) throw new IllegalArgumentException(name + " is empty");
        return bytes;
    }

    private static byte[] decode(String text, String name) {
        try {
            return Base64.getUrlDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + " is not base64url", e);
        }
    }

    private static String requiredText(JsonNode node, String name) {
        return optionalText(node, name).orElseThrow(() -> new IllegalArgumentException("\"" + name + "\" is missing"));
    }

    private static Optional<String> optionalText(JsonNode node, String name) {
        JsonNode value = node.path(name);
        if (value.isMissingNode() || value.isNull()) return Optional.empty();
        if (!value.isTextual() || value.asText().isEmpty()) {
            throw new IllegalArgumentException("\"" + name + "\" is not a non-empty string");
        }
        return Optional.of(value.asText());
    }
}
