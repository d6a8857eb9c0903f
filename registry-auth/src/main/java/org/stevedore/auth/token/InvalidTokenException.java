package org.stevedore.auth.token;

/** A bearer token that cannot be trusted; the message says why, never the token itself. */
public final class InvalidTokenException extends Exception {
    private static final long serialVersionUID = 1L;

    public InvalidTokenException(String reason) {
        super(reason);
    }
}
