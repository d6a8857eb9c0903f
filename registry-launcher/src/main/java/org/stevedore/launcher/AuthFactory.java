package org.stevedore.launcher;

import io.undertow.server.HttpHandler;
import java.util.Map;
import java.util.Objects;
import org.stevedore.auth.AccessController;

/**
 * Makes the access controller for the configured {@code auth} section; the seam where the
 * registry-auth module plugs in. {@link #UNAVAILABLE} refuses to start rather than serve an
 * open registry that the operator meant to protect.
 */
@FunctionalInterface
interface AuthFactory {
    /** Says why the server will not start: auth is configured but no controller is built in. */
    AuthFactory UNAVAILABLE = config -> {
        throw new ConfigException("auth." + config.type() + " is configured, but this build of Stevedore"
                + " has no access controllers; remove the auth section (and REGISTRY_AUTH* variables)"
                + " to serve without authentication");
    };

    /**
     * @throws Exception with a message for the operator when the controller cannot be made
     *                   (e.g. the htpasswd file is unreadable); the server does not start
     */
    AccessController create(AuthConfig config) throws Exception;

    /**
     * The controller plus any routes it serves beside {@code /v2/} (the built-in token server's
     * realm). By default just {@link #create}.
     */
    default AuthSetup setUp(AuthConfig config) throws Exception {
        return new AuthSetup(create(config), Map.of());
    }

    /** An access controller and the extra routes (path to handler) that come with it. */
    record AuthSetup(AccessController controller, Map<String, HttpHandler> routes) {
        public AuthSetup {
            Objects.requireNonNull(controller, "controller");
            routes = Map.copyOf(routes);
        }
    }
}
