package org.stevedore.auth.token;

import java.time.Instant;

/**
 * Expiry of every token issued so far, before its {@code exp}: fault injection for tests of how
 * clients fetch a new token on a 401. Shared by an issuer and the verifier of its tokens. Token
 * times are whole seconds, so the cut is too: tokens issued up to the second of
 * {@link #expireAll} expire, and the issuer dates later ones at least a second after it.
 * Thread-safe. Published API.
 */
public final class IssuedTokenExpiry {
    private volatile long lastExpiredSecond = Long.MIN_VALUE;

    /** Every token issued up to {@code now} (to its whole second) is expired from now on. */
    public void expireAll(Instant now) {
        lastExpiredSecond = now.getEpochSecond();
    }

    boolean expired(long issuedAtSecond) {
        return issuedAtSecond <= lastExpiredSecond;
    }

    /** When to date a token issued at {@code now}: after the last expired second. */
    Instant issueTime(Instant now) {
        long last = lastExpiredSecond;
        return now.getEpochSecond() > last ? now : Instant.ofEpochSecond(last + 1);
    }
}
