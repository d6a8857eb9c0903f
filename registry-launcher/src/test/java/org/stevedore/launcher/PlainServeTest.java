package org.stevedore.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code serve} and {@code serve CONFIG} skip picocli in {@code main}; every case here runs both
 * paths with the same arguments and environment and expects the same options, output and exit code.
 */
class PlainServeTest {
    @TempDir
    Path dir;

    /** What one path produced. */
    private record Outcome(int exitCode, ServeOptions served, String out, String err) {
    }

    private static Outcome viaPicocli(String[] args, Map<String, String> environment, ServeAction action) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        ServeOptions[] served = new ServeOptions[1];
        CommandLine commandLine = Main.commandLine(recording(action, served), environment, args);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int code = commandLine.execute(args);
        return new Outcome(code, served[0], out.toString(), err.toString());
    }

    private static Outcome plain(String[] args, Map<String, String> environment, ServeAction action) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        ServeOptions[] served = new ServeOptions[1];
        Optional<Path> config = PlainServe.match(args).orElseThrow(() -> new AssertionError("not plain: " + List.of(args)));
        int code = PlainServe.run(config, environment, recording(action, served),
                new PrintWriter(out, true), new PrintWriter(err, true));
        return new Outcome(code, served[0], out.toString(), err.toString());
    }

    private static ServeAction recording(ServeAction action, ServeOptions[] served) {
        return (options, out) -> {
            served[0] = options;
            return action.serve(options, out);
        };
    }

    private static Outcome same(Map<String, String> environment, ServeAction action, String... args) {
        Outcome expected = viaPicocli(args, environment, action);
        assertEquals(expected, plain(args, environment, action), List.of(args).toString());
        return expected;
    }

    private static final ServeAction STARTED = (options, out) -> {
        out.println("stevedore serving " + options.address());
        return 0;
    };

    @Test
    void onlyServeAndServeConfigSkipPicocli() {
        assertEquals(Optional.of(Optional.empty()), PlainServe.match(new String[] {"serve"}));
        assertEquals(Optional.of(Optional.of(Path.of("/etc/stevedore/config.yml"))),
                PlainServe.match(new String[] {"serve", "/etc/stevedore/config.yml"}));
        for (List<String> parsed : List.<List<String>>of(List.of(), List.of("--help"), List.of("serve", "--help"),
                List.of("serve", "-h"), List.of("serve", "--addr=:5001"), List.of("serve", "--check"),
                List.of("serve", "--"), List.of("serve", "@args.txt"), List.of("serve", ""),
                List.of("serve", "a.yml", "--root=/x"), List.of("gc", "a.yml"), List.of("help", "serve"))) {
            assertFalse(PlainServe.match(parsed.toArray(String[]::new)).isPresent(), parsed.toString());
        }
    }

    @Test
    void defaultsAndEnvironmentGiveTheSameOptions() {
        Outcome outcome = same(Map.of(), STARTED, "serve");
        assertEquals(new ServeOptions(Optional.empty(), RegistryConfig.defaults()), outcome.served());
        Map<String, String> environment = Map.of("REGISTRY_HTTP_ADDR", "127.0.0.1:5077",
                "REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY", dir.resolve("data").toString());
        assertEquals(5077, same(environment, STARTED, "serve").served().address().port());
    }

    @Test
    void configFileWarningsAndVariablesGiveTheSameOptionsAndOutput() throws Exception {
        Path config = Files.writeString(dir.resolve("config.yml"), "version: 0.1\n"
                + "storage:\n  filesystem:\n    rootdirectory: " + dir.resolve("data") + "\n"
                + "  cache:\n    blobdescriptor: inmemory\n"
                + "http:\n  addr: :5000\n  headers:\n    X-Content-Type-Options: [nosniff]\n"
                + "nosuchsection:\n  key: value\n");
        Outcome outcome = same(Map.of("REGISTRY_HTTP_ADDR", "127.0.0.1:5078"), STARTED, "serve", config.toString());
        assertEquals(Optional.of(config), outcome.served().configFile());
        assertEquals(5078, outcome.served().address().port());
        assertTrue(outcome.err().contains("warning: "), outcome.err());
        assertEquals("stevedore serving " + outcome.served().address() + System.lineSeparator(), outcome.out());
        // REGISTRY_CONFIGURATION_PATH names the file when no CONFIG is given.
        assertEquals(Optional.of(config), same(Map.of("REGISTRY_CONFIGURATION_PATH", config.toString()), STARTED,
                "serve").served().configFile());
    }

    @Test
    void configurationErrorsExitOneWithTheSameMessage() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.yml"),
                "version: 0.1\nstorage:\n  inmemory:\n  delete:\n    enabled: maybe\n");
        Outcome outcome = same(Map.of(), STARTED, "serve", bad.toString());
        assertEquals(1, outcome.exitCode());
        assertTrue(outcome.err().startsWith("stevedore serve: configuration error: storage.delete.enabled:"),
                outcome.err());
        assertEquals(1, same(Map.of(), STARTED, "serve", dir.resolve("missing.yml").toString()).exitCode());
    }

    @Test
    void aServerThatCannotStartExitsOneWithTheSameMessage() {
        Outcome outcome = same(Map.of(), (options, out) -> {
            throw new IllegalStateException("cannot serve on :5000: Address already in use");
        }, "serve");
        assertEquals(1, outcome.exitCode());
        assertEquals("stevedore serve: cannot serve on :5000: Address already in use" + System.lineSeparator(),
                outcome.err());
    }
}
