package org.stevedore.interop;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Stevedore started as the tutorial starts it: {@code java -jar stevedore.jar serve} with an
 * htpasswd file written by {@code stevedore htpasswd -Bbn} and only the tutorial's
 * {@code REGISTRY_*} variables, optionally with {@code --tls-self-signed 127.0.0.1 localhost}.
 * The jar comes from the Failsafe property {@code stevedore.jar} (the launcher module's build).
 */
final class TutorialRegistry implements AutoCloseable {
    static final String USER = "tutorial";
    static final String PASSWORD = "tutorial pw 1";
    private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");
    private static final Duration STARTUP = Duration.ofSeconds(60);

    private final Process process;
    private final Path log;
    private final String hostPort;
    private final Path caCertificate;

    private TutorialRegistry(Process process, Path log, String hostPort, Path caCertificate) {
        this.process = process;
        this.log = log;
        this.hostPort = hostPort;
        this.caCertificate = caCertificate;
    }

    /** Plain HTTP on a free loopback port. */
    static TutorialRegistry http(Path work) throws Exception {
        return start(work, false, false);
    }

    /** HTTPS with a self-signed CA for 127.0.0.1 and localhost, kept in {@code work/tls}. */
    static TutorialRegistry selfSignedTls(Path work) throws Exception {
        return start(work, true, false);
    }

    /**
     * Plain HTTP with token auth from Stevedore's built-in token server instead of htpasswd: the
     * same htpasswd file, named by {@code REGISTRY_AUTH_TOKEN_BUILTIN_HTPASSWD}, checked at the
     * realm {@code /auth/token}; the registry itself accepts only the tokens it signed.
     */
    static TutorialRegistry builtInToken(Path work) throws Exception {
        return start(work, false, true);
    }

    private static TutorialRegistry start(Path work, boolean tls, boolean token) throws Exception {
        Files.createDirectories(work);
        Path htpasswd = work.resolve("htpasswd");
        Files.write(htpasswd, java(List.of("htpasswd", "-Bbn", USER, PASSWORD)).stdout());
        assertTrue(Files.readString(htpasswd).startsWith(USER + ":$2"), "a bcrypt line for " + USER);

        int port = FreePorts.find();
        List<String> command = new ArrayList<>(List.of(JAVA.toString(), "-jar", jar().toString(), "serve"));
        if (tls) command.addAll(List.of("--tls-self-signed", "127.0.0.1", "localhost",
                "--tls-dir", work.resolve("tls").toString()));
        Path log = work.resolve("serve.log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        // Exactly the tutorial's variables: a REGISTRY_* from the developer's shell must not leak in.
        builder.environment().keySet().removeIf(name -> name.startsWith("REGISTRY_"));
        builder.environment().putAll(Map.of(
                "REGISTRY_HTTP_ADDR", "127.0.0.1:" + port,
                "REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY", work.resolve("storage").toString()));
        if (token) {
            builder.environment().putAll(Map.of(
                    "REGISTRY_AUTH", "token",
                    "REGISTRY_AUTH_TOKEN_REALM", "http://127.0.0.1:" + port + "/auth/token",
                    "REGISTRY_AUTH_TOKEN_SERVICE", "stevedore.tutorial",
                    "REGISTRY_AUTH_TOKEN_ISSUER", "stevedore",
                    "REGISTRY_AUTH_TOKEN_BUILTIN_HTPASSWD", htpasswd.toString()));
        } else {
            builder.environment().putAll(Map.of(
                    "REGISTRY_AUTH", "htpasswd",
                    "REGISTRY_AUTH_HTPASSWD_REALM", "Registry Realm",
                    "REGISTRY_AUTH_HTPASSWD_PATH", htpasswd.toString()));
        }
        TutorialRegistry registry = new TutorialRegistry(builder.start(), log, "127.0.0.1:" + port,
                work.resolve("tls/ca.crt"));
        registry.awaitStartLine((tls ? "https" : "http") + "://127.0.0.1:" + port, token ? "token" : "htpasswd", tls);
        return registry;
    }

    private void awaitStartLine(String url, String auth, boolean tls) throws Exception {
        // The start line is printed once the port is bound, the TLS instructions right after it
        // (tests read both); polling the log is bounded by STARTUP.
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (!output().contains("stevedore serving " + url + ", storage root ")
                || tls && !output().contains("/etc/docker/certs.d/")) {
            if (!process.isAlive()) fail("stevedore exited with " + process.exitValue() + "\n" + output());
            if (System.nanoTime() > deadline) {
                close();
                fail("stevedore did not start within " + STARTUP.toSeconds() + " s\n" + output());
            }
            Thread.sleep(100);
        }
        assertTrue(output().contains(", auth " + auth), output());
    }

    private static Path jar() {
        Path jar = Path.of(System.getProperty("stevedore.jar", "../registry-launcher/target/stevedore.jar"));
        if (!Files.isRegularFile(jar)) fail(jar + " is missing: build registry-launcher first (mvn verify from the root)");
        return jar;
    }

    private static Processes.Result java(List<String> arguments) {
        List<String> command = new ArrayList<>(List.of(JAVA.toString(), "-jar", jar().toString()));
        command.addAll(arguments);
        return Processes.runOk(command, Map.of(), Processes.DEFAULT_TIMEOUT);
    }

    /** {@code 127.0.0.1:PORT}, as clients name the registry. */
    String hostPort() {
        return hostPort;
    }

    /** The private CA's certificate ({@code ca.crt}) of a self-signed TLS registry. */
    Path caCertificate() {
        return caCertificate;
    }

    /** Everything the server printed so far, for assertions and failure messages. */
    String output() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /**
     * Whether {@code text} shows up in the server's output within 10 s. Access lines are written
     * when an exchange completes, which may be just after the client has its answer.
     */
    boolean awaitOutput(String text) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
        while (!output().contains(text)) {
            if (System.nanoTime() > deadline) return false;
            Thread.sleep(50);
        }
        return true;
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
