package org.stevedore.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stevedore.registry.Registry;
import org.stevedore.registry.fixtures.PushedImage;

/**
 * Stored credentials as docker finds them: a {@code credHelpers} or {@code credsStore} helper
 * (a small fake {@code docker-credential-fake} on PATH, run as docker runs it) before
 * {@code auths}, and {@code auths} when the helper knows the host not.
 */
class StoredCredentialsTest {
    @TempDir
    Path work;

    @Test
    void aCopyLogsInWithWhatTheHostsCredentialHelperAnswers() throws Exception {
        try (Registry registry = Registry.builder().users(Map.of("ci", "ci-pw")).start()) {
            PushedImage image = registry.fixtures().pushImage("demo/app", "1", 100);
            Map<String, String> environment = environment("{\"credHelpers\":{\"" + registry.hostPort() + "\":\"fake\"}}",
                    registry.hostPort());
            CopyOptions options = new CopyOptions(false, Optional.empty(), 2, Retry.DEFAULT, Optional.empty(),
                    Optional.empty(), true, true, environment, false);
            assertEquals(image.manifest(), ImageCopy.copy("docker://" + registry.hostPort() + "/demo/app:1",
                    "oci:" + work.resolve("layout") + ":1", options).digest());
            assertEquals("get " + registry.hostPort() + "\n", Files.readString(work.resolve("helper.log")),
                    "asked as docker asks: get, the host on standard input");
        }
    }

    @Test
    void theCredsStoreComesBeforeAuthsAndAuthsServeWhatItDoesNotKnow() throws Exception {
        String other = Base64.getEncoder().encodeToString("file-user:file-pw".getBytes(StandardCharsets.UTF_8));
        Map<String, String> environment = environment("{\"credsStore\":\"fake\",\"auths\":{"
                + "\"known.example:5000\":{\"auth\":\"" + other + "\"},"
                + "\"unknown.example\":{\"auth\":\"" + other + "\"}}}", "known.example:5000");
        assertEquals(Optional.of(new Credentials("ci", "ci-pw")), Credentials.stored("known.example:5000", environment));
        assertEquals(Optional.of(new Credentials("file-user", "file-pw")), Credentials.stored("unknown.example", environment));
        assertEquals(Optional.empty(), Credentials.stored("nowhere.example", environment));
    }

    @Test
    void aHelperThatIsNotOnPathIsNamed() throws Exception {
        Path config = Files.writeString(work.resolve("auth.json"), "{\"credHelpers\":{\"h.example\":\"absent\"}}");
        CopyException missing = assertThrows(CopyException.class, () -> Credentials.stored("h.example",
                Map.of("REGISTRY_AUTH_FILE", config.toString(), "PATH", work.toString())));
        assertTrue(missing.getMessage().contains("docker-credential-absent"), missing.getMessage());
    }

    /** An auth file and a PATH whose docker-credential-fake knows {@code ci:ci-pw} for {@code host} only. */
    private Map<String, String> environment(String authFile, String host) throws Exception {
        Path bin = Files.createDirectories(work.resolve("bin"));
        Path helper = bin.resolve("docker-credential-fake");
        Files.writeString(helper, "#!/bin/sh\n"
                + "read -r server\n"
                + "echo \"$1 $server\" >> " + work.resolve("helper.log") + "\n"
                + "if [ \"$1\" = get ] && [ \"$server\" = '" + host + "' ]; then\n"
                + "  printf '{\"ServerURL\":\"%s\",\"Username\":\"ci\",\"Secret\":\"ci-pw\"}' \"$server\"\n"
                + "  exit 0\n"
                + "fi\n"
                + "echo 'credentials not found in native keychain'\n"
                + "exit 1\n");
        Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path config = Files.writeString(work.resolve("auth.json"), authFile);
        return Map.of("REGISTRY_AUTH_FILE", config.toString(),
                "PATH", bin + File.pathSeparator + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    }
}
