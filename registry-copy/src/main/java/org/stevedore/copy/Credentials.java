package org.stevedore.copy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
     * The credentials stored for {@code host} (as {@code docker login} and {@code podman login}
     * store them): in {@code $REGISTRY_AUTH_FILE}, else {@code ~/.docker/config.json}.
     */
    public static Optional<Credentials> stored(String host, Map<String, String> environment) throws IOException {
        Path file = environment.containsKey("REGISTRY_AUTH_FILE") ? Path.of(environment.get("REGISTRY_AUTH_FILE"))
                : Path.of(System.getProperty("user.home"), ".docker", "config.json");
        if (!Files.isRegularFile(file)) return Optional.empty();
        JsonNode auths = new ObjectMapper().readTree(file.toFile()).path("auths");
        for (String key : new String[] {host, "https://" + host, "http://" + host}) {
            String auth = auths.path(key).path("auth").asText("");
            if (!auth.isEmpty()) {
                return Optional.of(parse(new String(Base64.getDecoder().decode(auth), StandardCharsets.UTF_8)));
            }
        }
        return Optional.empty();
    }

    String basicHeader() {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return user + ":***";
    }
}
