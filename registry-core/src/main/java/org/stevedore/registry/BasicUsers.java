package org.stevedore.registry;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.stevedore.auth.Access;
import org.stevedore.auth.AccessController;
import org.stevedore.auth.Challenge;
import org.stevedore.auth.Credentials;
import org.stevedore.auth.Decision;

/**
 * Basic authentication against a fixed set of users, for embedded test registries: any known
 * user may do anything, anyone else gets a 401 with a Basic challenge. Only SHA-256 digests of
 * the passwords are kept, compared in constant time; that is enough for throw-away test users,
 * and a server uses registry-auth's htpasswd (bcrypt) instead.
 */
final class BasicUsers implements AccessController {
    private static final Challenge CHALLENGE = new Challenge("Basic", Map.of("realm", "Stevedore"));
    /** Compared against when the user is unknown, so unknown and known users take equally long. */
    private static final byte[] NO_USER = sha256("\0no user\0");

    private final Map<String, byte[]> passwordDigests;

    BasicUsers(Map<String, String> users) {
        if (users.isEmpty()) throw new IllegalArgumentException("at least one user is needed");
        Map<String, byte[]> digests = new HashMap<>();
        users.forEach((name, password) -> {
            if (name == null || name.isEmpty() || name.indexOf(':') >= 0) {
                throw new IllegalArgumentException("user names must be non-empty and without ':'");
            }
            if (password == null) throw new IllegalArgumentException("password of " + name + " is null");
            digests.put(name, sha256(password));
        });
        this.passwordDigests = Map.copyOf(digests);
    }

    @Override
    public Decision authorize(Credentials credentials, List<Access> needed) {
        Optional<String> header = credentials.authorization();
        if (header.isEmpty()) return new Decision.Unauthenticated(CHALLENGE, "credentials required");
        Optional<String> user = check(header.get());
        if (user.isEmpty()) return new Decision.Unauthenticated(CHALLENGE, "invalid user name or password");
        return new Decision.Allowed(user);
    }

    private Optional<String> check(String header) {
        if (!header.regionMatches(true, 0, "Basic ", 0, 6)) return Optional.empty();
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) return Optional.empty();
        String name = decoded.substring(0, colon);
        byte[] expected = passwordDigests.getOrDefault(name, NO_USER);
        boolean matches = MessageDigest.isEqual(expected, sha256(decoded.substring(colon + 1)));
        return matches && expected != NO_USER ? Optional.of(name) : Optional.empty();
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
