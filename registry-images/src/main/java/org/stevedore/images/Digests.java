package org.stevedore.images;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.stevedore.model.Digest;

/** SHA-256 hashing while streaming. */
final class Digests {
    private Digests() {
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** The digest of what {@code hash} has seen (which resets it). */
    static Digest of(MessageDigest hash) {
        return Digest.sha256(HexFormat.of().formatHex(hash.digest()));
    }
}
