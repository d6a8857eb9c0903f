package org.stevedore.model;

import java.util.Map;
import java.util.regex.Pattern;
import org.stevedore.error.ErrorCode;

/**
 * A content digest, {@code algorithm:encoded}, in the grammar of the OCI image spec. The two
 * registered algorithms (sha256, sha512) must have their exact lowercase hex length; any other
 * grammatical algorithm parses, and whether it can be verified is a service decision.
 */
public record Digest(String algorithm, String encoded) implements Reference {
    private static final Pattern ALGORITHM = Pattern.compile("[a-z0-9]+(?:[+._-][a-z0-9]+)*");
    private static final Pattern ENCODED = Pattern.compile("[a-zA-Z0-9=_-]+");
    private static final Map<String, Pattern> KNOWN = Map.of(
            "sha256", Pattern.compile("[a-f0-9]{64}"),
            "sha512", Pattern.compile("[a-f0-9]{128}"));
    /** Longest digest text accepted (sha512 is 135 chars); bounds what an outsider sends. */
    private static final int MAX_LENGTH = 256;

    public Digest {
        if (algorithm == null || encoded == null
                || algorithm.length() + encoded.length() + 1 > MAX_LENGTH
                || !(isSha256(algorithm, encoded) || (ALGORITHM.matcher(algorithm).matches()
                        && KNOWN.getOrDefault(algorithm, ENCODED).matcher(encoded).matches()))) {
            throw ErrorCode.DIGEST_INVALID.withDetail("invalid digest " + shorten(algorithm + ":" + encoded));
        }
    }

    /**
     * The common case without regular expressions (links and routes parse a digest on every
     * request): {@code sha256} and 64 lowercase hex digits.
     */
    private static boolean isSha256(String algorithm, String encoded) {
        if (!algorithm.equals("sha256") || encoded.length() != 64) return false;
        for (int i = 0; i < 64; i++) {
            char c = encoded.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
        }
        return true;
    }

    /** Parses the wire form; anything malformed is a {@code DIGEST_INVALID}. */
    public static Digest parse(String text) {
        if (text == null) throw ErrorCode.DIGEST_INVALID.withDetail("missing digest");
        int colon = text.indexOf(':');
        if (colon < 0) throw ErrorCode.DIGEST_INVALID.withDetail("invalid digest " + shorten(text));
        return new Digest(text.substring(0, colon), text.substring(colon + 1));
    }

    /** The sha256 digest of the given hex string. */
    public static Digest sha256(String hex) {
        return new Digest("sha256", hex);
    }

    /** Whether this registry can compute the algorithm (sha256, sha512). */
    public boolean isVerifiable() {
        return KNOWN.containsKey(algorithm);
    }

    /** The {@link java.security.MessageDigest} algorithm name for a verifiable digest. */
    public String javaAlgorithm() {
        switch (algorithm) {
            case "sha256": return "SHA-256";
            case "sha512": return "SHA-512";
            default: throw ErrorCode.DIGEST_INVALID.withDetail("unsupported digest algorithm " + algorithm);
        }
    }

    @Override
    public String toString() {
        return algorithm + ":" + encoded;
    }

    static String shorten(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "…";
    }
}
