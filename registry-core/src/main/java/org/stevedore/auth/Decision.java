package org.stevedore.auth;

import java.util.Optional;

/** What an {@link AccessController} decided about a request. */
public sealed interface Decision permits Decision.Allowed, Decision.Unauthenticated, Decision.Denied {

    /** Go ahead; {@code user} is who was authenticated, empty for anonymous access. */
    record Allowed(Optional<String> user) implements Decision {
    }

    /** 401 {@code UNAUTHORIZED} with this challenge: no, wrong or insufficient credentials. */
    record Unauthenticated(Challenge challenge, String detail) implements Decision {
    }

    /** 403 {@code DENIED}: authenticated as {@code user}, but not allowed. */
    record Denied(String user, String detail) implements Decision {
    }
}
