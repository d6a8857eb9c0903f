package org.stevedore.interop;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs rootful {@code podman} hermetically: image storage (vfs driver), run root and temporary
 * files under a test directory, no event log, and its own auth file, so neither the machine's
 * images nor stored credentials take part.
 */
final class Podman {
    private final Path executable;
    private final List<String> global;
    private final Path authFile;
    private final Map<String, String> environment;

    private Podman(Path executable, Path work) throws IOException {
        this.executable = executable;
        Path temporary = Files.createDirectories(work.resolve("tmp"));
        this.global = List.of("--root", work.resolve("storage").toString(),
                "--runroot", work.resolve("run").toString(), "--storage-driver", "vfs",
                "--tmpdir", Files.createDirectories(work.resolve("libpod-tmp")).toString(),
                "--events-backend", "none", "--cgroup-manager", "cgroupfs");
        // podman refuses an --authfile that does not exist; an empty one holds no credentials.
        this.authFile = Files.writeString(work.resolve("auth.json"), "{}");
        this.environment = Map.of("TMPDIR", temporary.toString(), "REGISTRY_AUTH_FILE", authFile.toString());
    }

    /** A podman runner keeping its files in {@code work}; fails the test if podman is missing. */
    static Podman in(Path work) throws IOException {
        Path executable = Processes.requireTool("podman",
                "Install it with `apt-get install podman` (scripts/test does this in CI); the tests run as root.");
        return new Podman(executable, Files.createDirectories(work));
    }

    /** The auth file {@code login} writes and the other commands read ({@code --authfile}). */
    Path authFile() {
        return authFile;
    }

    /** {@code podman ARGS...}; fails the test unless it exits with 0. */
    Processes.Result run(String... arguments) {
        return Processes.runOk(command(arguments), environment, Processes.DEFAULT_TIMEOUT);
    }

    /** {@code podman ARGS...}, whatever its exit code, for steps expected to fail. */
    Processes.Result tryRun(String... arguments) {
        return Processes.run(command(arguments), environment, Processes.DEFAULT_TIMEOUT);
    }

    /** {@code podman ARGS...} reading standard input from {@code input}, whatever its exit code. */
    Processes.Result tryRunWithInput(File input, String... arguments) {
        return Processes.run(command(arguments), environment, Processes.DEFAULT_TIMEOUT, input);
    }

    private List<String> command(String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.addAll(global);
        command.addAll(List.of(arguments));
        return command;
    }
}
