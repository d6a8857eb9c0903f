package org.stevedore.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lines from {@code java -jar stevedore.jar htpasswd} are accepted by Apache's {@code htpasswd -v}
 * and by the reference registry (Debian's docker-registry, distribution 2.8.2) as its
 * {@code auth.htpasswd} file.
 */
class HtpasswdCommandIT {
    private static final Path JAR = Path.of(System.getProperty("stevedore.jar", "target/stevedore.jar"));
    private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");

    @TempDir
    Path temp;

    private record Result(int exit, String output) {
    }

    private static Result run(String stdin, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (stdin != null) process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("timed out: " + String.join(" ", command));
        }
        return new Result(process.exitValue(), output);
    }

    private String stevedoreLine(String stdin, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(JAVA.toString(), "-jar", JAR.toString(), "htpasswd"));
        command.addAll(List.of(args));
        Result result = run(stdin, command.toArray(String[]::new));
        assertEquals(0, result.exit(), result.output());
        return result.output().strip();
    }

    @Test
    void apacheHtpasswdVerifiesLinesFromTheSubcommand() throws Exception {
        Path file = temp.resolve("htpasswd");
        Files.writeString(file, stevedoreLine(null, "-Bbn", "alice", "pa ss w0rd") + "\n"
                + stevedoreLine("from stdin\n", "-Bn", "-C", "10", "bob") + "\n");
        assertEquals(0, run(null, "htpasswd", "-vb", file.toString(), "alice", "pa ss w0rd").exit());
        assertEquals(0, run(null, "htpasswd", "-vbB", file.toString(), "alice", "pa ss w0rd").exit());
        assertEquals(0, run(null, "htpasswd", "-vb", file.toString(), "bob", "from stdin").exit());
        assertTrue(Files.readString(file).contains("bob:$2y$10$"));
        assertEquals(3, run(null, "htpasswd", "-vb", file.toString(), "alice", "wrong").exit());
    }

    @Test
    void distributionAcceptsTheSubcommandsFileForBasicAuth() throws Exception {
        Path file = temp.resolve("htpasswd");
        Files.writeString(file, stevedoreLine(null, "-Bbn", "-C", "5", "alice", "s3cret") + "\n");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path config = Files.writeString(temp.resolve("config.yml"), String.join("\n",
                "version: 0.1",
                "log:",
                "  level: warn",
                "storage:",
                "  filesystem:",
                "    rootdirectory: " + temp.resolve("storage"),
                "http:",
                "  addr: 127.0.0.1:" + port,
                "auth:",
                "  htpasswd:",
                "    realm: stevedore-test",
                "    path: " + file,
                ""));
        ProcessBuilder builder = new ProcessBuilder("/usr/bin/docker-registry", "serve", config.toString())
                .redirectErrorStream(true).redirectOutput(temp.resolve("registry.log").toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("REGISTRY_"));
        Process registry = builder.start();
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            URI base = URI.create("http://127.0.0.1:" + port + "/v2/");
            int anonymous = awaitStatus(http, base, registry);
            assertEquals(401, anonymous, Files.readString(temp.resolve("registry.log")));
            assertEquals(200, status(http, base, "alice", "s3cret"), Files.readString(temp.resolve("registry.log")));
            assertEquals(401, status(http, base, "alice", "wrong"));
        } finally {
            registry.destroy();
            if (!registry.waitFor(10, TimeUnit.SECONDS)) registry.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static int awaitStatus(HttpClient http, URI uri, Process registry) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline && registry.isAlive()) {
            try {
                return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (IOException notYetListening) {
                Thread.sleep(100);
            }
        }
        return fail("docker-registry did not start");
    }

    private static int status(HttpClient http, URI uri, String user, String password) throws Exception {
        String credentials = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return http.send(HttpRequest.newBuilder(uri).header("Authorization", "Basic " + credentials).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
