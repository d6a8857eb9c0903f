package org.stevedore.auth.token;

import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which JWS {@code alg} values a token may name: distribution 3's
 * {@code auth.token.signingalgorithms}. A token whose header names another algorithm is refused
 * before its key is looked up, as distribution's {@code jwt.ParseSigned(token, allowed)} does.
 *
 * <p>distribution's default (when the key is absent or its list empty) is every algorithm it
 * knows: EdDSA, HS256/384/512, RS256/384/512, ES256/384/512 and PS256/384/512. {@link #DEFAULT}
 * is that list without the HMAC ones, which Stevedore never verifies (a key that verifies them
 * is a shared secret, and HMAC keys are refused in a JWK Set), i.e. every {@link JwsAlgorithm}.
 * Names are case-sensitive, as in distribution. Immutable.
 *
 * @param allowed the algorithms accepted; never empty
 */
public record SigningAlgorithms(Set<JwsAlgorithm> allowed) {
    /** Every algorithm Stevedore verifies: distribution's default list, less HS256/384/512. */
    public static final SigningAlgorithms DEFAULT = new SigningAlgorithms(EnumSet.allOf(JwsAlgorithm.class));

    /** distribution knows these; Stevedore refuses them rather than accept a list it cannot honour. */
    private static final Set<String> HMAC = Set.of("HS256", "HS384", "HS512");

    public SigningAlgorithms {
        if (allowed.isEmpty()) throw new IllegalArgumentException("at least one signing algorithm is needed");
        allowed = Set.copyOf(allowed);
    }

    /**
     * The configured list: an empty one means {@link #DEFAULT}, as in distribution. Throws
     * {@link IllegalArgumentException} naming the first name that is not an algorithm Stevedore
     * verifies, and why (HMAC, wrong case, unknown).
     */
    public static SigningAlgorithms parse(Collection<String> names) {
        if (names.isEmpty()) return DEFAULT;
        Set<JwsAlgorithm> allowed = EnumSet.noneOf(JwsAlgorithm.class);
        for (String name : names) {
            allowed.add(JwsAlgorithm.named(name).orElseThrow(() -> new IllegalArgumentException(refusal(name))));
        }
        return new SigningAlgorithms(allowed);
    }

    /** Whether a token signed with {@code algorithm} may be verified at all. */
    public boolean allows(JwsAlgorithm algorithm) {
        return allowed.contains(algorithm);
    }

    /** The names, in {@link JwsAlgorithm} order, comma-separated (for messages and logs). */
    @Override
    public String toString() {
        return Arrays.stream(JwsAlgorithm.values()).filter(allowed::contains).map(Enum::name)
                .collect(Collectors.joining(", "));
    }

    private static String refusal(String name) {
        String supported = DEFAULT.toString();
        if (HMAC.contains(name)) {
            return "'" + name + "' is an HMAC algorithm, which Stevedore does not verify: its key would be a shared"
                    + " secret, and Stevedore trusts only public keys; use some of " + supported;
        }
        List<String> sameLetters = Arrays.stream(JwsAlgorithm.values()).map(Enum::name)
                .filter(known -> known.toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))).toList();
        if (!sameLetters.isEmpty()) {
            return "'" + name + "' is not a signing algorithm (names are case-sensitive: " + sameLetters.get(0) + ")";
        }
        return "'" + name + "' is not a signing algorithm Stevedore verifies; use some of " + supported;
    }
}
