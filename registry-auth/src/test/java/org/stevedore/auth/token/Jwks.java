package org.stevedore.auth.token;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

/** Test keys written as JWKs (RFC 7517/7518), independently of the code under test. */
final class Jwks {
    static final ObjectMapper JSON = new ObjectMapper();

    private Jwks() {
    }

    static KeyPair ec(String curve) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec(curve));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    static KeyPair ed25519() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    static KeyPair rsa(int bits) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(bits);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    /** The public JWK of {@code key} under {@code kid}, without use or alg. */
    static ObjectNode jwk(String kid, PublicKey key) {
        ObjectNode jwk = JSON.createObjectNode();
        if (key instanceof RSAPublicKey rsa) {
            jwk.put("kty", "RSA").put("kid", kid).put("n", b64(KeyIds.unsigned(rsa.getModulus(), 0)))
                    .put("e", b64(KeyIds.unsigned(rsa.getPublicExponent(), 0)));
        } else if (key instanceof EdECPublicKey ed) {
            // RFC 8032 §5.1.2: y little-endian, x's parity in the top bit of the last byte.
            byte[] y = KeyIds.unsigned(ed.getPoint().getY(), 32);
            byte[] encoded = new byte[32];
            for (int i = 0; i < 32; i++) encoded[i] = y[31 - i];
            if (ed.getPoint().isXOdd()) encoded[31] |= (byte) 0x80;
            jwk.put("kty", "OKP").put("kid", kid).put("crv", "Ed25519").put("x", b64(encoded));
        } else {
            ECPublicKey ec = (ECPublicKey) key;
            int bits = ec.getParams().getCurve().getField().getFieldSize();
            int bytes = (bits + 7) / 8;
            jwk.put("kty", "EC").put("kid", kid).put("crv", "P-" + bits)
                    .put("x", b64(KeyIds.unsigned(ec.getW().getAffineX(), bytes)))
                    .put("y", b64(KeyIds.unsigned(ec.getW().getAffineY(), bytes)));
        }
        return jwk;
    }

    static Path write(Path file, ObjectNode... keys) {
        ObjectNode set = JSON.createObjectNode();
        ArrayNode list = set.putArray("keys");
        for (ObjectNode key : keys) list.add(key);
        return write(file, set.toString());
    }

    static Path write(Path file, String text) {
        try {
            return Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
