package org.stevedore.auth.token;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.util.Arrays;
import java.util.Optional;

/**
 * The JWS algorithms registry tokens use: RS256 and ES256. ES256 signatures on the wire are the
 * raw 64 bytes R||S (RFC 7518 §3.4), while {@link Signature} speaks DER, so they are converted
 * both ways here. No {@code none}, no HMAC: a token must be signed by a key the registry trusts.
 */
public enum JwsAlgorithm {
    RS256("SHA256withRSA"),
    ES256("SHA256withECDSA");

    private final String jcaName;

    JwsAlgorithm(String jcaName) {
        this.jcaName = jcaName;
    }

    public static Optional<JwsAlgorithm> named(String name) {
        for (JwsAlgorithm algorithm : values()) {
            if (algorithm.name().equals(name)) return Optional.of(algorithm);
        }
        return Optional.empty();
    }

    /** Whether {@code key} is of this algorithm's kind (an RSA key cannot verify ES256). */
    public boolean fits(java.security.Key key) {
        if (this == RS256) return key instanceof RSAKey;
        return key instanceof ECKey ec && ec.getParams().getCurve().getField().getFieldSize() == 256;
    }

    /** Whether {@code signature} (JWS form) over {@code input} is valid for {@code key}. */
    public boolean verify(PublicKey key, byte[] input, byte[] signature) {
        if (!fits(key)) return false;
        try {
            Signature verifier = Signature.getInstance(jcaName);
            verifier.initVerify(key);
            verifier.update(input);
            if (this == ES256) {
                if (signature.length != 64) return false;
                return verifier.verify(rawToDer(signature));
            }
            return verifier.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /** Signs {@code input}, returning the JWS form of the signature. */
    public byte[] sign(PrivateKey key, byte[] input) throws GeneralSecurityException {
        Signature signer = Signature.getInstance(jcaName);
        signer.initSign(key);
        signer.update(input);
        byte[] signature = signer.sign();
        return this == ES256 ? derToRaw(signature) : signature;
    }

    /** R||S (32 bytes each) to DER {@code SEQUENCE { INTEGER r, INTEGER s }}. */
    static byte[] rawToDer(byte[] raw) {
        byte[] r = derInteger(Arrays.copyOfRange(raw, 0, 32));
        byte[] s = derInteger(Arrays.copyOfRange(raw, 32, 64));
        int length = r.length + s.length;
        byte[] der = new byte[2 + length]; // at most 2 * 35 bytes: short-form length suffices
        der[0] = 0x30;
        der[1] = (byte) length;
        System.arraycopy(r, 0, der, 2, r.length);
        System.arraycopy(s, 0, der, 2 + r.length, s.length);
        return der;
    }

    private static byte[] derInteger(byte[] unsigned) {
        int start = 0;
        while (start < unsigned.length - 1 && unsigned[start] == 0) start++;
        boolean pad = (unsigned[start] & 0x80) != 0;
        int length = unsigned.length - start + (pad ? 1 : 0);
        byte[] out = new byte[2 + length];
        out[0] = 0x02;
        out[1] = (byte) length;
        System.arraycopy(unsigned, start, out, 2 + (pad ? 1 : 0), unsigned.length - start);
        return out;
    }

    /** DER {@code SEQUENCE { INTEGER r, INTEGER s }} to R||S, 32 bytes each. */
    static byte[] derToRaw(byte[] der) {
        int offset = 2;
        if ((der[1] & 0x80) != 0) offset += der[1] & 0x7f;
        byte[] raw = new byte[64];
        for (int part = 0; part < 2; part++) {
            if (der[offset] != 0x02) throw new IllegalArgumentException("not an ECDSA DER signature");
            int length = der[offset + 1];
            int start = offset + 2;
            int copy = Math.min(length, 32);
            System.arraycopy(der, start + length - copy, raw, part * 32 + 32 - copy, copy);
            offset = start + length;
        }
        return raw;
    }
}
