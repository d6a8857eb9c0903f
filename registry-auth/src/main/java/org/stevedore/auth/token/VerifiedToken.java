package org.stevedore.auth.token;

import java.util.List;
import java.util.Optional;
import org.stevedore.auth.Access;

/**
 * A bearer token whose signature, issuer, audience and lifetime were checked.
 *
 * @param subject who it was issued to; empty for an anonymous token
 * @param access  what it grants
 */
public record VerifiedToken(Optional<String> subject, List<TokenAccess> access) {
    public VerifiedToken {
        access = List.copyOf(access);
    }

    /** Whether some entry of the access claim grants {@code wanted}. */
    public boolean grants(Access wanted) {
        return access.stream().anyMatch(entry -> entry.grants(wanted));
    }
}
