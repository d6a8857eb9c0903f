package org.stevedore.ui.session;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One browser's session, carried whole in its signed cookie (no server state, so any node can
 * serve the next request).
 *
 * @param user    who logged in; empty for a visitor who has not
 * @param nonce   random, per session: the CSRF token is derived from it
 * @param expires when the cookie stops being accepted
 */
public record Session(Optional<String> user, String nonce, Instant expires) {
    public Session {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(nonce, "nonce");
        Objects.requireNonNull(expires, "expires");
    }
}
