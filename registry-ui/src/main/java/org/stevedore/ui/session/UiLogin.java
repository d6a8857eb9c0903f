package org.stevedore.ui.session;

import java.util.Base64;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.stevedore.auth.AccessController;
import org.stevedore.auth.Credentials;
import org.stevedore.auth.Decision;

/**
 * Checks a user name and password from the login form against the registry's own users. Never
 * logs either. Published API: the launcher gives one for token auth, whose controller accepts
 * only bearer tokens.
 */
@FunctionalInterface
public interface UiLogin {

    /** Refuses everyone: for registries whose passwords the UI cannot check (an external token server). */
    UiLogin NOBODY = (user, password) -> Optional.empty();

    /** The authenticated user name, or empty when the credentials are wrong. */
    Optional<String> authenticate(String user, String password);

    /**
     * Asks {@code controller} as a {@code docker login} would: Basic credentials on a request that
     * needs no access (htpasswd, the builder's test users).
     */
    static UiLogin basic(AccessController controller) {
        return (user, password) -> {
            String basic = "Basic " + Base64.getEncoder().encodeToString(
                    (user + ":" + password).getBytes(StandardCharsets.UTF_8));
            Decision decision = controller.authorize(new Credentials(Optional.of(basic), "ui-login"), List.of());
            return decision instanceof Decision.Allowed allowed ? allowed.user().or(() -> Optional.of(user))
                    : Optional.empty();
        };
    }
}
