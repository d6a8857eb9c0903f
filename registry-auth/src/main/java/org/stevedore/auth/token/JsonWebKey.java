package org.stevedore.auth.token;

import java.security.PublicKey;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A public key a token's {@code kid} may name, with what RFC 7517 says it may be used for:
 * {@code use} ({@code sig}, {@code enc}, ...), {@code key_ops} (empty: not stated) and
 * {@code alg}. Keys from a certificate bundle or the built-in token server state none of these.
 * Immutable.
 *
 * @param kid       the key id tokens name it by
 * @param publicKey an RSA, EC or Ed25519 public key
 * @param use       the JWK's {@code use}, if given
 * @param algorithm the JWK's {@code alg}, if given (possibly one this registry does not verify)
 * @param keyOps    the JWK's {@code key_ops}; empty if not given
 */
public record JsonWebKey(String kid, PublicKey publicKey, Optional<String> use, Optional<String> algorithm,
                         Set<String> keyOps) {
    public JsonWebKey {
        Objects.requireNonNull(kid, "kid");
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(use, "use");
        Objects.requireNonNull(algorithm, "algorithm");
        keyOps = Set.copyOf(keyOps);
    }

    /** A key trusted for every algorithm that fits it, e.g. from a certificate. */
    public static JsonWebKey unconstrained(String kid, PublicKey publicKey) {
        return new JsonWebKey(kid, publicKey, Optional.empty(), Optional.empty(), Set.of());
    }

    /** Whether this key may verify some token at all: not marked for encryption, nor for another algorithm family. */
    public boolean isSigningKey() {
        return use.map("sig"::equals).orElse(true)
                && (keyOps.isEmpty() || keyOps.contains("verify"))
                && algorithm.map(alg -> JwsAlgorithm.named(alg).isPresent()).orElse(true);
    }

    /**
     * Throws unless this key may verify a token signed with {@code alg}: a key marked
     * {@code use=enc} (or any use but {@code sig}), or whose {@code key_ops} lack {@code verify},
     * is not a signing key; a key whose {@code alg} differs from the token's is refused, as is
     * a key of the wrong kind (RS256 with an EC key, ES384 with a P-256 key).
     */
    public void requireVerifies(JwsAlgorithm alg) throws InvalidTokenException {
        if (use.isPresent() && !use.get().equals("sig")) {
            throw new InvalidTokenException("key " + kid + " is not a signing key (use=" + use.get() + ")");
        }
        if (!keyOps.isEmpty() && !keyOps.contains("verify")) {
            throw new InvalidTokenException("key " + kid + " may not verify signatures (key_ops " + keyOps + ")");
        }
        if (algorithm.isPresent() && !algorithm.get().equals(alg.name())) {
            throw new InvalidTokenException("token alg " + alg + " does not match key " + kid + "'s alg "
                    + algorithm.get());
        }
        if (!alg.fits(publicKey)) {
            throw new InvalidTokenException("key " + kid + " (" + describe(publicKey) + ") cannot verify " + alg);
        }
    }

    /** "RSA 2048", "EC P-256": what kind of key, for messages. */
    static String describe(PublicKey key) {
        if (key instanceof RSAKey rsa) return "RSA " + rsa.getModulus().bitLength();
        if (key instanceof ECKey ec) return "EC P-" + ec.getParams().getCurve().getField().getFieldSize();
        if (key instanceof java.security.interfaces.EdECKey ed) return "OKP " + ed.getParams().getName();
        return key.getAlgorithm();
    }
}
