package org.stevedore.auth.htpasswd;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * A user name and password from an {@code Authorization: Basic …} header (RFC 7617). Parsing
 * never throws: anything malformed is empty, which callers answer with 401. {@code toString}
 * hides the password.
 */
public record BasicCredentials(String user, String password) {
    /** Longest header value considered; longer ones are malformed, not work for the decoder. */
    private static final int MAX_HEADER_CHARS = 4096;

    /** The credentials in {@code header}, or empty if it is not a well-formed Basic header. */
    public static Optional<BasicCredentials> parse(String header) {
        if (header == null || header.length() > MAX_HEADER_CHARS) return Optional.empty();
        int space = header.indexOf(' ');
        if (space != 5 || !header.regionMatches(true, 0, "Basic", 0, 5)) return Optional.empty();
        String text;
        try {
            byte[] decoded = Base64.getDecoder().decode(header.substring(space + 1).strip());
            text = isAscii(decoded) ? new String(decoded, StandardCharsets.ISO_8859_1) // the common case, and cheap
                    : StandardCharsets.UTF_8.newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(decoded)).toString();
        } catch (IllegalArgumentException | CharacterCodingException e) {
            return Optional.empty();
        }
        int colon = text.indexOf(':');
        if (colon <= 0) return Optional.empty();
        return Optional.of(new BasicCredentials(text.substring(0, colon), text.substring(colon + 1)));
    }

    private static boolean isAscii(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) return false;
        }
        return true;
    }

    /** The header value for these credentials. */
    public String header() {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "BasicCredentials[user=" + user + ", password=<hidden>]";
    }
}
