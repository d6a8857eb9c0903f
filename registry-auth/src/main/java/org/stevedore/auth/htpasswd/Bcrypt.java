package org.stevedore.auth.htpasswd;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.regex.Pattern;
import org.mindrot.jbcrypt.BCrypt;

/**
 * bcrypt as htpasswd files hold it. Apache writes {@code $2y$}, Go and OpenBSD {@code $2a$} or
 * {@code $2b$}; the three differ only in bugs of old C implementations that none of these
 * writers have, so they verify alike. jBCrypt only reads {@code $2a$}, hence the normalising.
 * Thread-safe.
 */
public final class Bcrypt {
    /** A bcrypt hash: revision, two-digit cost 04..31, 22 salt and 31 hash characters. */
    private static final Pattern HASH = Pattern.compile("\\$2[aby]\\$(0[4-9]|[12][0-9]|3[01])\\$[./A-Za-z0-9]{53}");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Default cost, as Apache's {@code htpasswd -B}. */
    public static final int DEFAULT_COST = 5;

    private Bcrypt() {
    }

    /** Whether {@code hash} is a bcrypt hash this class can verify. */
    public static boolean isHash(String hash) {
        return HASH.matcher(hash).matches();
    }

    /** The cost (log2 of rounds) of a hash that {@link #isHash} accepted. */
    public static int cost(String hash) {
        return Integer.parseInt(hash.substring(4, 6));
    }

    /** A new {@code $2y$} hash of {@code password}, as Apache's {@code htpasswd -B} writes. */
    public static String hash(String password, int cost) {
        if (cost < 4 || cost > 31) throw new IllegalArgumentException("bcrypt cost must be 4..31, not " + cost);
        String hash = BCrypt.hashpw(password, BCrypt.gensalt(cost, RANDOM));
        return "$2y$" + hash.substring(4);
    }

    /**
     * Whether {@code password} matches {@code hash} (which {@link #isHash} accepted); the final
     * comparison takes the same time wherever the hashes differ.
     */
    public static boolean verify(String password, String hash) {
        String normalised = "$2a$" + hash.substring(4);
        String computed = BCrypt.hashpw(password, normalised);
        return MessageDigest.isEqual(computed.getBytes(StandardCharsets.US_ASCII),
                normalised.getBytes(StandardCharsets.US_ASCII));
    }
}
