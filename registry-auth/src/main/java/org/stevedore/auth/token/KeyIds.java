package org.stevedore.auth.token;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/**
 * Key ids a JWS header's {@code kid} may name a key by: distribution's (libtrust's) id, which is
 * SHA-256 of the DER public key truncated to 240 bits, base32 in twelve groups of four
 * ({@code ABCD:EFGH:…}), and the RFC 7638 JWK thumbprint.
 */
public final class KeyIds {
    private static final char[] BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();

    private KeyIds() {
    }

    /** libtrust's key id, as docker_auth and distribution's token tooling put in {@code kid}. */
    public static String libtrust(PublicKey key) {
        byte[] hash = Arrays.copyOf(sha256(key.getEncoded()), 30);
        String encoded = base32(hash);
        StringBuilder id = new StringBuilder();
        for (int i = 0; i < encoded.length(); i += 4) {
            if (i > 0) id.append(':');
            id.append(encoded, i, Math.min(encoded.length(), i + 4));
        }
        return id.toString();
    }

    /** The RFC 7638 thumbprint (base64url SHA-256 of the canonical JWK) of an EC P-256 or RSA key. */
    public static Optional<String> jwkThumbprint(PublicKey key) {
        String canonical;
        if (key instanceof ECPublicKey ec) {
            if (ec.getParams().getCurve().getField().getFieldSize() != 256) return Optional.empty();
            canonical = "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"" + b64(unsigned(ec.getW().getAffineX(), 32))
                    + "\",\"y\":\"" + b64(unsigned(ec.getW().getAffineY(), 32)) + "\"}";
        } else if (key instanceof RSAPublicKey rsa) {
            canonical = "{\"e\":\"" + b64(unsigned(rsa.getPublicExponent(), 0)) + "\",\"kty\":\"RSA\",\"n\":\""
                    + b64(unsigned(rsa.getModulus(), 0)) + "\"}";
        } else {
            return Optional.empty();
        }
        return Optional.of(b64(sha256(canonical.getBytes(StandardCharsets.UTF_8))));
    }

    /** Big-endian bytes without sign byte, left-padded to {@code length} (0: minimal). */
    static byte[] unsigned(BigInteger value, int length) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
        if (length == 0 || bytes.length == length) return bytes;
        byte[] padded = new byte[length];
        System.arraycopy(bytes, 0, padded, length - bytes.length, bytes.length);
        return padded;
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String base32(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        int buffer = 0;
        int bits = 0;
        for (byte b : bytes) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                out.append(BASE32[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        if (bits > 0) out.append(BASE32[(buffer << (5 - bits)) & 31]);
        return out.toString();
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
