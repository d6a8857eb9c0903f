package org.stevedore.auth;

import java.util.List;
import java.util.Optional;

/**
 * Decides who may do what: authentication (who sent the request) and authorization (may they do
 * it) in one call, as distribution's {@code auth.AccessController}. The HTTP layer asks it about
 * every request, {@code /v2/} included, with the accesses the route needs (none for {@code /v2/},
 * which only checks credentials). Implementations are thread-safe and fast: this runs on every
 * request, so anything expensive (bcrypt) must be cached.
 */
public interface AccessController {

    /** Decides one request that needs every access in {@code needed}. */
    Decision authorize(Credentials credentials, List<Access> needed);

    /**
     * Whether {@code user} (empty: anonymous) may do {@code access}; used to filter listings such
     * as the catalog, after {@link #authorize} allowed the request itself.
     */
    default boolean permits(Optional<String> user, Access access) {
        return true;
    }

    /**
     * For fault injection ({@link org.stevedore.registry.Faults#expireTokensNow()}): a controller
     * that accepts tokens of its own token server treats every token issued so far as expired.
     * Returns whether this controller has such tokens; the default has none.
     */
    default boolean expireIssuedTokens() {
        return false;
    }
}
