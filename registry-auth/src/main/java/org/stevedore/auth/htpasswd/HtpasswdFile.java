package org.stevedore.auth.htpasswd;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The users of one htpasswd file: {@code user:hash} lines, bcrypt hashes only (as distribution
 * accepts). Blank lines and {@code #} comments are skipped; any other hash format (MD5
 * {@code $apr1$}, SHA {@code {SHA}}, crypt, plain text) stops loading with the file and line, so
 * a user is never silently locked out. Immutable.
 */
public final class HtpasswdFile {
    private final Map<String, String> hashes;
    private final int maxCost;

    private HtpasswdFile(Map<String, String> hashes, int maxCost) {
        this.hashes = Map.copyOf(hashes);
        this.maxCost = maxCost;
    }

    /** Reads and checks {@code file}; throws {@link HtpasswdFormatException} on a bad line. */
    public static HtpasswdFile read(Path file) throws IOException {
        return parse(file, Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    /** Parses {@code lines} read from {@code file} (named in errors). */
    public static HtpasswdFile parse(Path file, List<String> lines) {
        Map<String, String> hashes = new LinkedHashMap<>();
        int maxCost = Bcrypt.DEFAULT_COST;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            int colon = line.indexOf(':');
            if (colon <= 0) throw new HtpasswdFormatException(file, i + 1, "expected user:hash");
            String user = line.substring(0, colon);
            String hash = line.substring(colon + 1);
            if (!Bcrypt.isHash(hash)) {
                throw new HtpasswdFormatException(file, i + 1, "user " + user + " has a " + describe(hash)
                        + "; only bcrypt ($2y$, $2a$, $2b$) is supported: recreate it with htpasswd -B");
            }
            if (hashes.putIfAbsent(user, hash) != null) {
                throw new HtpasswdFormatException(file, i + 1, "user " + user + " is listed twice");
            }
            maxCost = Math.max(maxCost, Bcrypt.cost(hash));
        }
        return new HtpasswdFile(hashes, maxCost);
    }

    private static String describe(String hash) {
        if (hash.startsWith("$apr1$")) return "MD5 ($apr1$) hash";
        if (hash.startsWith("{SHA}")) return "SHA-1 ({SHA}) hash";
        if (hash.startsWith("$1$") || hash.startsWith("$5$") || hash.startsWith("$6$")) return "crypt hash";
        if (hash.startsWith("$2")) return "malformed bcrypt hash";
        return "hash in an unsupported format (crypt or plain text)";
    }

    /** The hash of {@code user}, if listed. */
    public Optional<String> hashOf(String user) {
        return Optional.ofNullable(hashes.get(user));
    }

    /** How many users the file lists. */
    public int size() {
        return hashes.size();
    }

    /** The highest bcrypt cost in the file (at least the default), for the unknown-user dummy. */
    public int maxCost() {
        return maxCost;
    }
}
