package org.stevedore.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stevedore.auth.AuthConfigurations;
import org.stevedore.auth.htpasswd.Bcrypt;
import org.stevedore.registry.Registry;

/**
 * skopeo pushes and pulls through Stevedore's authentication: Basic against htpasswd, and bearer
 * tokens from the built-in token server, with a read-only user refused on push.
 */
class SkopeoAuthIT {
    private static final String RULES = String.join("\n",
            "rules:",
            "  - repositories: [\"**\"]",
            "    users: [admin]",
            "    actions: [\"*\"]",
            "  - repositories: [\"team/*\"]",
            "    users: [reader]",
            "    actions: [pull]",
            "");

    @TempDir
    Path work;

    private Path htpasswd() throws Exception {
        return Files.writeString(work.resolve("htpasswd"),
                "admin:" + Bcrypt.hash("admin pw", 5) + "\nreader:" + Bcrypt.hash("reader-pw", 5) + "\n");
    }

    private void pushPullAndRefuseReaderPush(Registry registry) throws Exception {
        pushPullAndRefuseReaderPush(registry.hostPort());
    }

    private void pushPullAndRefuseReaderPush(String hostPort) throws Exception {
        Skopeo skopeo = Skopeo.in(work.resolve("skopeo"));
        OciImage image = OciLayoutWriter.write(work.resolve("source"), "v1", 2, 7);
        String source = "oci:" + work.resolve("source") + ":v1";
        String remote = "docker://" + hostPort + "/team/app:v1";

        Processes.Result anonymous = skopeo.tryCopy(source, remote, "--dest-tls-verify=false");
        assertRefused(anonymous, "push without credentials");
        skopeo.copy(source, remote, "--preserve-digests", "--dest-tls-verify=false", "--dest-creds", "admin:admin pw");

        Path copy = work.resolve("copy");
        skopeo.copy(remote, "oci:" + copy + ":v1", "--src-tls-verify=false", "--src-creds", "reader:reader-pw");
        OciImage pulled = OciLayoutReader.read(copy, "v1");
        assertEquals(image.manifestDigest(), pulled.manifestDigest());
        assertArrayEquals(image.manifest(), pulled.manifest());

        Processes.Result readerPush = skopeo.tryCopy(source, "docker://" + hostPort + "/team/app:v2",
                "--dest-tls-verify=false", "--dest-creds", "reader:reader-pw");
        assertRefused(readerPush, "push by a read-only user");
        Processes.Result wrongPassword = skopeo.tryCopy(remote, "oci:" + work.resolve("copy2") + ":v1",
                "--src-tls-verify=false", "--src-creds", "reader:wrong");
        assertRefused(wrongPassword, "pull with a wrong password");
    }

    /** Failed for the right reason: the registry said no, not a network or TLS error. */
    private static void assertRefused(Processes.Result result, String what) {
        assertNotEquals(0, result.exitCode(), what + " must fail");
        String error = result.stderr().toLowerCase(java.util.Locale.ROOT);
        assertTrue(error.contains("unauthorized") || error.contains("denied") || error.contains("authentication required"),
                what + ": " + result.stderr());
    }

    @Test
    void basicAuthWithHtpasswdAndRules() throws Exception {
        Path rules = Files.writeString(work.resolve("rules.yml"), RULES);
        try (Registry registry = Registry.builder()
                .accessController(AuthConfigurations.htpasswd(htpasswd(), "Stevedore", Optional.of(rules)))
                .start()) {
            pushPullAndRefuseReaderPush(registry);
        }
    }

    @Test
    void bearerTokensFromTheBuiltInTokenServer() throws Exception {
        Path rules = Files.writeString(work.resolve("rules.yml"), RULES);
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        AuthConfigurations.BuiltInTokenServer tokens = AuthConfigurations.builtInToken(
                URI.create("http://127.0.0.1:" + port + "/token"), "stevedore", "stevedore-token", htpasswd(),
                Optional.of(rules));
        try (Registry registry = Registry.builder().port(port).accessController(tokens.controller())
                .extraRoute(tokens.path(), tokens.endpoint()).start()) {
            pushPullAndRefuseReaderPush(registry);
        }
    }

    /** The same through the launched jar, everything from config.yml: accessrules and builtin. */
    @Test
    void builtInTokenServerAndAccessRulesFromConfigYml() throws Exception {
        Path rules = Files.writeString(work.resolve("rules.yml"), RULES);
        int port = FreePorts.find();
        Path config = Files.writeString(work.resolve("config.yml"), String.join("\n",
                "version: 0.1",
                "http:",
                "  addr: 127.0.0.1:" + port,
                "storage:",
                "  filesystem:",
                "    rootdirectory: " + work.resolve("storage"),
                "auth:",
                "  token:",
                "    realm: http://127.0.0.1:" + port + "/auth/token",
                "    service: stevedore.config",
                "    issuer: stevedore",
                "    accessrules: " + rules,
                "    builtin:",
                "      htpasswd: " + htpasswd(),
                "      expiration: 10m",
                ""));
        Path jar = Path.of(System.getProperty("stevedore.jar", "../registry-launcher/target/stevedore.jar"));
        Path log = work.resolve("serve.log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "serve", config.toString()).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("REGISTRY_"));
        Process server = builder.start();
        try {
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (!Files.readString(log).contains("stevedore serving http://127.0.0.1:" + port + ", ")) {
                assertTrue(server.isAlive() && System.nanoTime() < deadline, "not started: " + Files.readString(log));
                Thread.sleep(100);
            }
            assertTrue(Files.readString(log).contains(", auth token"), Files.readString(log));
            pushPullAndRefuseReaderPush("127.0.0.1:" + port);
        } finally {
            server.destroy();
            server.waitFor();
        }
    }
}
