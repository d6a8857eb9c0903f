package org.stevedore.auth.token;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.stevedore.auth.Access;
import org.stevedore.auth.AccessController;
import org.stevedore.auth.Challenge;
import org.stevedore.auth.Credentials;
import org.stevedore.auth.Decision;
import org.stevedore.auth.rules.AccessRules;

/**
 * Bearer-token authorization, as distribution's {@code auth.token}: a request needs a token from
 * the token server ({@code realm}) whose access claim grants every access the route needs. If
 * not, 401 with {@code WWW-Authenticate: Bearer realm="…",service="…",scope="…"}, plus
 * {@code error="invalid_token"} for a bad token or {@code error="insufficient_scope"} for one that
 * grants too little, so clients fetch a new token with the scope named. Requests without a token
 * are allowed where the optional rules grant anonymous pull. Thread-safe.
 */
public final class TokenAccessController implements AccessController {
    private final TokenVerifier verifier;
    private final String realm;
    private final String service;
    private final AccessRules rules;
    private final java.util.Optional<IssuedTokenExpiry> expiry;

    public TokenAccessController(TokenVerifier verifier, String realm, String service, AccessRules rules) {
        this(verifier, realm, service, rules, java.util.Optional.empty());
    }

    /** With {@code expiry}: the verifier's tokens are this registry's own, which fault injection can expire. */
    public TokenAccessController(TokenVerifier verifier, String realm, String service, AccessRules rules,
                                 java.util.Optional<IssuedTokenExpiry> expiry) {
        this.verifier = expiry.map(verifier::expiring).orElse(verifier);
        this.realm = realm;
        this.service = service;
        this.rules = rules;
        this.expiry = expiry;
    }

    @Override
    public boolean expireIssuedTokens() {
        expiry.ifPresent(e -> e.expireAll(java.time.Instant.now()));
        return expiry.isPresent();
    }

    @Override
    public Decision authorize(Credentials credentials, List<Access> needed) {
        Optional<String> header = credentials.authorization();
        if (header.isEmpty()) {
            if (!needed.isEmpty() && rules.enabled()
                    && needed.stream().allMatch(access -> rules.allows(Optional.empty(), access))) {
                return new Decision.Allowed(Optional.empty());
            }
            return unauthenticated(needed, Optional.empty(), "authentication required");
        }
        String value = header.get();
        int space = value.indexOf(' ');
        if (space < 0 || !value.substring(0, space).equalsIgnoreCase("Bearer")) {
            return unauthenticated(needed, Optional.empty(), "a bearer token is required");
        }
        VerifiedToken token;
        try {
            token = verifier.verify(value.substring(space + 1).strip());
        } catch (InvalidTokenException e) {
            return unauthenticated(needed, Optional.of("invalid_token"), "invalid token: " + e.getMessage());
        }
        for (Access access : needed) {
            if (!token.grants(access)) {
                return unauthenticated(needed, Optional.of("insufficient_scope"), "token does not grant " + access.scope());
            }
        }
        return new Decision.Allowed(token.subject());
    }

    @Override
    public boolean permits(Optional<String> user, Access access) {
        // The token server decided who may list the catalog; rules, if any, filter what it shows.
        return !rules.enabled() || rules.allows(user, access);
    }

    private Decision unauthenticated(List<Access> needed, Optional<String> error, String detail) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("realm", realm);
        parameters.put("service", service);
        if (!needed.isEmpty()) parameters.put("scope", Scopes.format(needed));
        error.ifPresent(e -> parameters.put("error", e));
        return new Decision.Unauthenticated(new Challenge("Bearer", parameters), detail);
    }
}
