package org.stevedore.auth.token;

import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECKey;
import java.security.interfaces.EdECKey;
import java.security.interfaces.RSAKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Arrays;
import java.util.Optional;

/**
 * The asymmetric JWS algorithms of RFC 7518 that registry tokens are signed with: RSASSA-PKCS1
 * (RS256/384/512), RSASSA-PSS (PS256/384/512), ECDSA on P-256, P-384 and P-521 (ES256/384/512)
 * and EdDSA on Ed25519 (RFC 8037), as distribution 3 accepts them. ECDSA signatures on the wire are the raw R||S
 * of fixed-size halves (RFC 7518 §3.4), while {@link Signature} speaks DER, so they are converted
 * both ways here. No {@code none}, no HMAC: a token must be signed by a key the registry trusts,
 * and a public verification key cannot be a shared secret.
 */
public enum JwsAlgorithm {
    RS256("SHA256withRSA", 0),
    RS384("SHA384withRSA", 0),
    RS512("SHA512withRSA", 0),
    PS256("SHA-256", 32),
    PS384("SHA-384", 48),
    PS512("SHA-512", 64),
    ES256("SHA256withECDSA", 32),
    ES384("SHA384withECDSA", 48),
    ES512("SHA512withECDSA", 66),
    EdDSA("Ed25519", 0);

    /** JCA name (PS*: the hash), and the size in bytes of an ECDSA half or of the PSS salt. */
    private final String jcaName;
    private final int size;

    JwsAlgorithm(String jcaName, int size) {
        this.jcaName = jcaName;
        this.size = size;
    }

    /** The algorithm a JWS header's {@code alg} names, if it is one of these. */
    public static Optional<JwsAlgorithm> named(String name) {
        for (JwsAlgorithm algorithm : values()) {
            if (algorithm.name().equals(name)) return Optional.of(algorithm);
        }
        return Optional.empty();
    }

    /** Whether {@code key} is of this algorithm's kind (an RSA key cannot verify ES256, a P-384 key not ES256). */
    public boolean fits(Key key) {
        if (isEcdsa()) return key instanceof ECKey ec && curveBits() == ec.getParams().getCurve().getField().getFieldSize();
        // Like go-jose, EdDSA means Ed25519 only.
        if (this == EdDSA) return key instanceof EdECKey ed && "Ed25519".equalsIgnoreCase(ed.getParams().getName());
        return key instanceof RSAKey;
    }

    /** Whether {@code signature} (JWS form) over {@code input} is valid for {@code key}. */
    public boolean verify(PublicKey key, byte[] input, byte[] signature) {
        if (!fits(key)) return false;
        try {
            Signature verifier = signature();
            verifier.initVerify(key);
            verifier.update(input);
            if (isEcdsa()) {
                if (signature.length != 2 * size) return false;
                return verifier.verify(rawToDer(signature));
            }
            return verifier.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /** Signs {@code input}, returning the JWS form of the signature. */
    public byte[] sign(PrivateKey key, byte[] input) throws GeneralSecurityException {
        Signature signer = signature();
        signer.initSign(key);
        signer.update(input);
        byte[] signature = signer.sign();
        return isEcdsa() ? derToRaw(signature, size) : signature;
    }

    private boolean isEcdsa() {
        return name().startsWith("ES");
    }

    private int curveBits() {
        return this == ES512 ? 521 : size * 8;
    }

    private Signature signature() throws GeneralSecurityException {
        if (!name().startsWith("PS")) return Signature.getInstance(jcaName);
        // RFC 7518 §3.5: MGF1 with the same hash, salt as long as the hash, trailer field 1.
        Signature pss = Signature.getInstance("RSASSA-PSS");
        pss.setParameter(new PSSParameterSpec(jcaName, "MGF1", new MGF1ParameterSpec(jcaName), size, 1));
        return pss;
    }

    /** R||S (two equal halves) to DER {@code SEQUENCE { INTEGER r, INTEGER s }}. */
    static byte[] rawToDer(byte[] raw) {
        int half = raw.length / 2;
        byte[] r = derInteger(Arrays.copyOfRange(raw, 0, half));
        byte[] s = derInteger(Arrays.copyOfRange(raw, half, raw.length));
        int length = r.length + s.length;
        // P-521 signatures exceed 127 content bytes and need DER's long-form length.
        byte[] lengthBytes = length < 128 ? new byte[] {(byte) length} : new byte[] {(byte) 0x81, (byte) length};
        byte[] der = new byte[1 + lengthBytes.length + length];
        der[0] = 0x30;
        System.arraycopy(lengthBytes, 0, der, 1, lengthBytes.length);
        System.arraycopy(r, 0, der, 1 + lengthBytes.length, r.length);
        System.arraycopy(s, 0, der, 1 + lengthBytes.length + r.length, s.length);
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

    /** DER {@code SEQUENCE { INTEGER r, INTEGER s }} to R||S of 32-byte halves (ES256). */
    static byte[] derToRaw(byte[] der) {
        return derToRaw(der, 32);
    }

    /** DER {@code SEQUENCE { INTEGER r, INTEGER s }} to R||S, {@code half} bytes each. */
    static byte[] derToRaw(byte[] der, int half) {
        int offset = 2;
        if ((der[1] & 0x80) != 0) offset += der[1] & 0x7f;
        byte[] raw = new byte[2 * half];
        for (int part = 0; part < 2; part++) {
            if (der[offset] != 0x02) throw new IllegalArgumentException("not an ECDSA DER signature");
            int length = der[offset + 1];
            int start = offset + 2;
            int copy = Math.min(length, half);
            System.arraycopy(der, start + length - copy, raw, part * half + half - copy, copy);
            offset = start + length;
        }
        return raw;
    }
}
