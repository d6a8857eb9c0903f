package org.stevedore.auth.htpasswd;

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
 * HTTP Basic authentication against an htpasswd file, as distribution's {@code auth.htpasswd},
 * plus optional {@link AccessRules}. Missing, malformed or wrong credentials are 401 with
 * {@code WWW-Authenticate: Basic realm="…"}; an authenticated user the rules do not allow is 403;
 * an anonymous request is allowed only where the rules grant anonymous pull ({@code /v2/} always
 * asks for credentials, so clients learn the challenge). Thread-safe.
 */
public final class HtpasswdAccessController implements AccessController {
    private final HtpasswdAuthenticator authenticator;
    private final AccessRules rules;
    private final Challenge challenge;

    public HtpasswdAccessController(HtpasswdAuthenticator authenticator, String realm, AccessRules rules) {
        this.authenticator = authenticator;
        this.rules = rules;
        this.challenge = new Challenge("Basic", Map.of("realm", realm));
    }

    @Override
    public Decision authorize(Credentials credentials, List<Access> needed) {
        if (credentials.authorization().isEmpty()) {
            if (!needed.isEmpty() && needed.stream().allMatch(access -> rules.allows(Optional.empty(), access))) {
                return new Decision.Allowed(Optional.empty());
            }
            return new Decision.Unauthenticated(challenge, "authentication required");
        }
        Optional<BasicCredentials> basic = BasicCredentials.parse(credentials.authorization().get());
        if (basic.isEmpty()) return new Decision.Unauthenticated(challenge, "malformed Basic credentials");
        String user = basic.get().user();
        if (!authenticator.authenticate(user, basic.get().password())) {
            return new Decision.Unauthenticated(challenge, "invalid user name or password");
        }
        for (Access access : needed) {
            if (!rules.allows(Optional.of(user), access)) {
                return new Decision.Denied(user, "not allowed: " + access.scope());
            }
        }
        return new Decision.Allowed(Optional.of(user));
    }

    @Override
    public boolean permits(Optional<String> user, Access access) {
        return rules.allows(user, access);
    }

    /** The authenticator, e.g. for its metrics. */
    public HtpasswdAuthenticator authenticator() {
        return authenticator;
    }
}
