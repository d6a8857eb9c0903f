package org.stevedore.copy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The credentials {@code docker login} and {@code podman login} stored for a registry, found as
 * docker finds them: the auth file is {@code $REGISTRY_AUTH_FILE}, else
 * {@code $DOCKER_CONFIG/config.json}, else {@code ~/.docker/config.json}; a helper named for the
 * host in {@code credHelpers}, else the {@code credsStore} helper, is asked first
 * ({@code docker-credential-NAME get}, the host on its standard input, found on {@code PATH});
 * when it knows none, or there is no helper, the {@code auths} entry's {@code auth} is used.
 */
final class StoredCredentials {
    private static final Pattern HELPER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final long HELPER_SECONDS = 30;
    private static final int MAX_HELPER_OUTPUT = 64 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, String> environment;

    StoredCredentials(Map<String, String> environment) {
        this.environment = environment;
    }

    Optional<Credentials> find(String host) throws IOException {
        Path file = authFile();
        if (!Files.isRegularFile(file)) return Optional.empty();
        JsonNode config = JSON.readTree(file.toFile());
        String helper = config.path("credHelpers").path(host).asText(config.path("credsStore").asText(""));
        if (!helper.isEmpty()) {
            Optional<Credentials> fromHelper = ask(helper, host);
            if (fromHelper.isPresent()) return fromHelper;
        }
        JsonNode auths = config.path("auths");
        for (String key : new String[] {host, "https://" + host, "http://" + host}) {
            String auth = auths.path(key).path("auth").asText("");
            if (!auth.isEmpty()) {
                return Optional.of(Credentials.parse(new String(Base64.getDecoder().decode(auth), StandardCharsets.UTF_8)));
            }
        }
        return Optional.empty();
    }

    private Path authFile() {
        String authFile = environment.get("REGISTRY_AUTH_FILE");
        if (authFile != null) return Path.of(authFile);
        String dockerConfig = environment.get("DOCKER_CONFIG");
        if (dockerConfig != null) return Path.of(dockerConfig, "config.json");
        return Path.of(System.getProperty("user.home"), ".docker", "config.json");
    }

    /**
     * Runs {@code docker-credential-NAME get} as docker does: the server's address on standard
     * input, {@code {"ServerURL","Username","Secret"}} on standard output; a helper that has none
     * says so and exits non-zero ("credentials not found"), which is no error here.
     */
    private Optional<Credentials> ask(String name, String host) throws IOException {
        if (!HELPER_NAME.matcher(name).matches()) throw new CopyException("credential helper name not allowed: " + name);
        Path executable = onPath("docker-credential-" + name)
                .orElseThrow(() -> new CopyException("credential helper docker-credential-" + name + " is not on PATH"));
        Process process = new ProcessBuilder(executable.toString(), "get")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (OutputStream in = process.getOutputStream()) {
            in.write(host.getBytes(StandardCharsets.UTF_8));
        }
        byte[] output;
        try (InputStream out = process.getInputStream()) {
            output = out.readNBytes(MAX_HELPER_OUTPUT);
        }
        try {
            if (!process.waitFor(HELPER_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new CopyException("credential helper docker-credential-" + name + " did not answer in "
                        + HELPER_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while asking a credential helper");
        }
        if (process.exitValue() != 0) return Optional.empty();
        JsonNode answer;
        try {
            answer = JSON.readTree(output);
        } catch (IOException e) {
            // Never show the output: it may hold the secret.
            throw new CopyException("credential helper docker-credential-" + name + " answered something other than JSON");
        }
        String user = answer.path("Username").asText("");
        String secret = answer.path("Secret").asText("");
        if (user.isEmpty() || secret.isEmpty()) return Optional.empty();
        if (user.equals("<token>")) {
            throw new CopyException("credential helper docker-credential-" + name + " holds an identity token for "
                    + host + "; only user names and passwords are supported");
        }
        return Optional.of(new Credentials(user, secret));
    }

    private Optional<Path> onPath(String command) {
        String path = environment.getOrDefault("PATH", System.getenv().getOrDefault("PATH", ""));
        for (String directory : path.split(File.pathSeparator)) {
            if (directory.isEmpty()) continue;
            Path candidate = Path.of(directory, command);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) return Optional.of(candidate);
        }
        return Optional.empty();
    }
}
