package org.stevedore.copy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * A user name and password for one registry. {@link #toString()} never shows the password.
 * Published API.
 */
public record Credentials(String user, String password) {

    /** {@code USER:PASSWORD}, as skopeo's {@code --src-creds}. */
    public static Credentials parse(String userColonPassword) {
        int colon = userColonPassword.indexOf(':');
        if (colon <= 0) throw new IllegalArgumentException("credentials must be USER:PASSWORD");
        return new Credentials(userColonPassword.substring(0, colon), userColonPassword.substring(colon + 1));
    }

    /**
     * The credentials stored for {@code host} as {@code docker login} and {@code podman login} store
     * them: in {@code $REGISTRY_AUTH_FILE}, else {@code $DOCKER_CONFIG/config.json}, else
     * {@code ~/.docker/config.json}, through its {@code credHelpers} or {@code credsStore}
     * helper ({@code docker-credential-NAME} on {@code PATH}) or its {@code auths}. Variables are
     * looked up in {@code environment} (PATH falls back to the process's).
     */
    public static Optional<Credentials> stored(String host, Map<String, String> environment) throws IOException {
        return new StoredCredentials(environment).find(host);
    }

    String basicHeader() {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return user + ":***";
    }
}
