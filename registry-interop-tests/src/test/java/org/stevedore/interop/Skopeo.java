package org.stevedore.interop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs {@code skopeo} hermetically: an empty auth file (no stored credentials, none written), an
 * accept-anything trust policy and temporary files under a test directory. Registries are reached
 * over plain HTTP on 127.0.0.1 ({@code --*-tls-verify=false}).
 */
final class Skopeo {
    private final Path executable;
    private final Path policy;
    private final Path temporary;
    private final Map<String, String> environment;

    private Skopeo(Path executable, Path workDirectory) throws IOException {
        this.executable = executable;
        Files.createDirectories(workDirectory);
        Path authFile = Files.writeString(workDirectory.resolve("auth.json"), "{}");
        this.policy = Files.writeString(workDirectory.resolve("policy.json"),
                "{\"default\":[{\"type\":\"insecureAcceptAnything\"}]}");
        this.temporary = Files.createDirectories(workDirectory.resolve("tmp"));
        this.environment = Map.of("REGISTRY_AUTH_FILE", authFile.toString(), "TMPDIR", temporary.toString());
    }

    /** A skopeo runner keeping its files in {@code workDirectory}; fails the test if skopeo is missing. */
    static Skopeo in(Path workDirectory) throws IOException {
        Path executable = Processes.requireTool("skopeo",
                "Install it with `apt-get install skopeo` (scripts/test does this in CI).");
        return new Skopeo(executable, workDirectory);
    }

    /** {@code skopeo copy [flags] source destination}; fails the test unless it succeeds. */
    Processes.Result copy(String source, String destination, String... flags) {
        List<String> command = global("copy");
        command.add("--retry-times=0");
        command.addAll(List.of(flags));
        command.add(source);
        command.add(destination);
        return Processes.runOk(command, environment, Processes.DEFAULT_TIMEOUT);
    }

    /** {@code skopeo copy [flags] source destination}, whatever its exit code, for tests of failures. */
    Processes.Result tryCopy(String source, String destination, String... flags) {
        List<String> command = global("copy");
        command.add("--retry-times=0");
        command.addAll(List.of(flags));
        command.add(source);
        command.add(destination);
        return Processes.run(command, environment, Processes.DEFAULT_TIMEOUT);
    }

    /** {@code skopeo delete dockerReference}, whatever its exit code, for tests of refusals. */
    Processes.Result tryDelete(String dockerReference) {
        List<String> command = global("delete");
        command.addAll(List.of("--tls-verify=false", "--retry-times=0", dockerReference));
        return Processes.run(command, environment, Processes.DEFAULT_TIMEOUT);
    }

    /** The manifest bytes exactly as the registry serves them ({@code skopeo inspect --raw}). */
    byte[] inspectRaw(String dockerReference) {
        List<String> command = global("inspect");
        command.addAll(List.of("--raw", "--tls-verify=false", "--retry-times=0", dockerReference));
        return Processes.runOk(command, environment, Processes.DEFAULT_TIMEOUT).stdout();
    }

    /** {@code skopeo list-tags}: the JSON text listing a repository's tags. */
    String listTags(String dockerRepository) {
        List<String> command = global("list-tags");
        command.addAll(List.of("--tls-verify=false", "--retry-times=0", dockerRepository));
        return Processes.runOk(command, environment, Processes.DEFAULT_TIMEOUT).stdoutText();
    }

    private List<String> global(String subcommand) {
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.add("--policy=" + policy);
        command.add("--tmpdir=" + temporary);
        command.add(subcommand);
        return command;
    }
}
