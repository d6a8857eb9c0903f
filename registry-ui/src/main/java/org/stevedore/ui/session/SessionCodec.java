package org.stevedore.ui.session;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Turns a {@link Session} into a cookie value and back: {@code version.user.nonce.expiry.mac},
 * each field base64url, the MAC an HMAC-SHA256 over the rest under the UI's session key. The
 * cookie is signed, not encrypted: it holds a user name and a random nonce, no secret. A value
 * that is malformed, expired or signed with another key is simply no session. Also derives the
 * CSRF token of a session. Thread-safe.
 */
public final class SessionCodec {
    private static final String VERSION = "1";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder UNB64 = Base64.getUrlDecoder();
    /** Bounds what a cookie may make us parse; real values are under 200 bytes. */
    private static final int MAX_COOKIE_LENGTH = 1024;

    private final java.util.function.Supplier<byte[]> keySource;
    private volatile SecretKeySpec key;
    private final Duration lifetime;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    /** {@code key} is asked once, at first use (so a key kept in storage is not read before the UI is used). */
    public SessionCodec(java.util.function.Supplier<byte[]> key, Duration lifetime, Clock clock) {
        this.keySource = key;
        this.lifetime = lifetime;
        this.clock = clock;
    }

    private SecretKeySpec key() {
        SecretKeySpec current = key;
        if (current != null) return current;
        synchronized (this) {
            if (key == null) {
                byte[] bytes = keySource.get();
                if (bytes.length < 32) throw new IllegalArgumentException("the UI session key needs at least 32 bytes");
                key = new SecretKeySpec(bytes.clone(), "HmacSHA256");
            }
            return key;
        }
    }

    /** A new session for {@code user} (empty: a visitor), with a fresh nonce. */
    public Session create(Optional<String> user) {
        byte[] nonce = new byte[18];
        random.nextBytes(nonce);
        return new Session(user, B64.encodeToString(nonce), clock.instant().plus(lifetime));
    }

    public String encode(Session session) {
        String body = VERSION + "." + B64.encodeToString(session.user().orElse("").getBytes(StandardCharsets.UTF_8))
                + "." + session.nonce() + "." + session.expires().getEpochSecond();
        return body + "." + B64.encodeToString(mac("session", body));
    }

    /** The session in {@code value}, if it is well-formed, signed with this key and not expired. */
    public Optional<Session> decode(String value) {
        if (value == null || value.length() > MAX_COOKIE_LENGTH) return Optional.empty();
        int lastDot = value.lastIndexOf('.');
        if (lastDot < 0) return Optional.empty();
        String body = value.substring(0, lastDot);
        byte[] presented;
        try {
            presented = UNB64.decode(value.substring(lastDot + 1));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!MessageDigest.isEqual(presented, mac("session", body))) return Optional.empty();
        String[] fields = body.split("\\.", -1);
        if (fields.length != 4 || !fields[0].equals(VERSION)) return Optional.empty();
        try {
            String user = new String(UNB64.decode(fields[1]), StandardCharsets.UTF_8);
            Instant expires = Instant.ofEpochSecond(Long.parseLong(fields[3]));
            if (!expires.isAfter(clock.instant())) return Optional.empty();
            return Optional.of(new Session(user.isEmpty() ? Optional.empty() : Optional.of(user), fields[2], expires));
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            return Optional.empty();
        }
    }

    /** The token every form of this session carries; bound to the session's nonce and this key. */
    public String csrfToken(Session session) {
        return B64.encodeToString(mac("csrf", session.nonce()));
    }

    /** Whether {@code presented} is this session's CSRF token; constant-time. */
    public boolean isCsrfToken(Session session, String presented) {
        if (presented == null) return false;
        return MessageDigest.isEqual(presented.getBytes(StandardCharsets.US_ASCII),
                csrfToken(session).getBytes(StandardCharsets.US_ASCII));
    }

    public Duration lifetime() {
        return lifetime;
    }

    private byte[] mac(String purpose, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key());
            mac.update(purpose.getBytes(StandardCharsets.US_ASCII));
            mac.update((byte) 0);
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }
}
