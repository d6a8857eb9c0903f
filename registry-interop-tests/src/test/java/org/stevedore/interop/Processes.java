package org.stevedore.interop;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs external tools with a timeout, capturing their output. A missing tool, a timeout or a
 * non-zero exit fails the test with the command and everything it printed: these tests must never
 * pass or skip silently because a tool is absent.
 */
final class Processes {
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);

    /** What a finished process printed; {@code stdout} kept as bytes, e.g. for a raw manifest. */
    record Result(List<String> command, int exitCode, byte[] stdout, String stderr) {
        String stdoutText() {
            return new String(stdout, StandardCharsets.UTF_8);
        }

        String describe() {
            return String.join(" ", command) + "\nexit code " + exitCode + "\n--- stdout ---\n" + stdoutText()
                    + "\n--- stderr ---\n" + stderr;
        }
    }

    private Processes() {
    }

    /** The absolute path of an executable found on {@code PATH}, or a failed test saying how to get it. */
    static Path requireTool(String name, String hint) {
        Path direct = Path.of(name);
        if (direct.isAbsolute()) {
            if (Files.isExecutable(direct)) return direct;
            return fail(name + " is required by the interop tests but is not installed. " + hint);
        }
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) return candidate;
        }
        return fail(name + " is required by the interop tests but was not found on PATH (" + path + "). " + hint);
    }

    /** Runs the command and fails the test unless it exits with 0 within {@code timeout}. */
    static Result runOk(List<String> command, Map<String, String> environment, Duration timeout) {
        Result result = run(command, environment, timeout);
        if (result.exitCode() != 0) fail("command failed: " + result.describe());
        return result;
    }

    /** Runs the command to completion; fails the test on timeout. Any exit code is returned. */
    static Result run(List<String> command, Map<String, String> environment, Duration timeout) {
        return run(command, environment, timeout, new File("/dev/null"));
    }

    /** Like {@link #runOk(List, Map, Duration)}, reading standard input from {@code input}. */
    static Result runOk(List<String> command, Map<String, String> environment, Duration timeout, File input) {
        Result result = run(command, environment, timeout, input);
        if (result.exitCode() != 0) fail("command failed: " + result.describe());
        return result;
    }

    /** Like {@link #run(List, Map, Duration)}, reading standard input from {@code input}. */
    static Result run(List<String> command, Map<String, String> environment, Duration timeout, File input) {
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("stevedore-process", ".out");
            err = Files.createTempFile("stevedore-process", ".err");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(input))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                fail("command did not finish within " + timeout.toSeconds() + " s: "
                        + new Result(command, -1, Files.readAllBytes(out), Files.readString(err)).describe());
            }
            return new Result(command, process.exitValue(), Files.readAllBytes(out), Files.readString(err));
        } catch (IOException e) {
            return fail("could not run " + String.join(" ", command) + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted while running " + String.join(" ", command), e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file == null) return;
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a temp file left behind is harmless
        }
    }
}
