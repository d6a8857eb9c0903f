package org.stevedore.interop;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A private Docker daemon for one test class: {@code dockerd} with its data, exec root, pid file
 * and socket in a temporary directory, no bridge and no iptables (containers run with
 * {@code --network none}), the vfs storage driver (works on any file system, needs no overlay
 * support). Every {@code docker} command goes to its socket with its own client config directory,
 * so neither the machine's daemon nor stored credentials take part.
 */
final class DockerDaemon implements AutoCloseable {
    private static final Duration STARTUP = Duration.ofSeconds(60);

    private final Process process;
    private final Path log;
    private final Path docker;
    private final Map<String, String> environment;
    private final Path execRoot;

    private DockerDaemon(Process process, Path log, Path docker, Map<String, String> environment, Path execRoot) {
        this.process = process;
        this.log = log;
        this.docker = docker;
        this.environment = environment;
        this.execRoot = execRoot;
    }

    /** Starts {@code dockerd} with everything under {@code work} and waits until it answers. */
    static DockerDaemon start(Path work) throws Exception {
        String hint = "Install it with `apt-get install docker.io` (scripts/test does this in CI); the tests run as root.";
        Path dockerd = Processes.requireTool("dockerd", hint);
        Path docker = Processes.requireTool("docker", hint);
        Files.createDirectories(work);
        Path socket = work.resolve("docker.sock");
        Path log = work.resolve("dockerd.log");
        List<String> command = List.of(dockerd.toString(), "--iptables=false", "--ip6tables=false", "--bridge=none",
                "--storage-driver=vfs", "--data-root", work.resolve("data").toString(),
                "--exec-root", work.resolve("exec").toString(), "--pidfile", work.resolve("dockerd.pid").toString(),
                "-H", "unix://" + socket);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Map<String, String> environment = Map.of(
                "DOCKER_HOST", "unix://" + socket,
                "DOCKER_CONFIG", Files.createDirectories(work.resolve("client-config")).toString(),
                // The classic builder: it needs no network and no BuildKit support in the daemon.
                "DOCKER_BUILDKIT", "0");
        DockerDaemon daemon = new DockerDaemon(process, log, docker, environment, work.resolve("exec"));
        daemon.awaitReady();
        return daemon;
    }

    private void awaitReady() throws Exception {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (true) {
            if (!process.isAlive()) fail("dockerd exited with " + process.exitValue() + "\n" + output());
            Processes.Result version = Processes.run(command("version"), environment, Duration.ofSeconds(10));
            if (version.exitCode() == 0) return;
            if (System.nanoTime() > deadline) {
                close();
                fail("dockerd did not answer within " + STARTUP.toSeconds() + " s\n" + version.describe()
                        + "\n--- dockerd ---\n" + output());
            }
            Thread.sleep(200);
        }
    }

    /** {@code docker ARGS...} against this daemon; fails the test unless it exits with 0. */
    Processes.Result run(String... arguments) {
        return Processes.runOk(command(arguments), environment, Processes.DEFAULT_TIMEOUT);
    }

    /** {@code docker ARGS...}, whatever its exit code, for steps expected to fail. */
    Processes.Result tryRun(String... arguments) {
        return Processes.run(command(arguments), environment, Processes.DEFAULT_TIMEOUT);
    }

    /** {@code docker ARGS...} reading standard input from {@code input}, e.g. {@code login --password-stdin}. */
    Processes.Result runWithInput(File input, String... arguments) {
        return Processes.runOk(command(arguments), environment, Processes.DEFAULT_TIMEOUT, input);
    }

    /** {@code docker ARGS...} reading standard input from {@code input}, whatever its exit code. */
    Processes.Result tryRunWithInput(File input, String... arguments) {
        return Processes.run(command(arguments), environment, Processes.DEFAULT_TIMEOUT, input);
    }

    private List<String> command(String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(docker.toString());
        command.addAll(List.of(arguments));
        return command;
    }

    /** What dockerd logged, for failure messages. */
    String output() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @Override
    public void close() throws Exception {
        // SIGTERM lets dockerd stop its containerd and unmount; its files go with the temp dir.
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        // A container on the host network leaves the daemon's bind mount of the host's network
        // namespace behind; unmounted, the temporary directory can be deleted.
        Path hostNetwork = execRoot.resolve("netns/default");
        if (Files.exists(hostNetwork)) {
            Processes.run(List.of("umount", "--lazy", hostNetwork.toString()), Map.of(), Duration.ofSeconds(10));
        }
    }
}
