package org.stevedore.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.stevedore.registry.Registry;
import picocli.CommandLine;

/**
 * {@code stevedore serve} run in this JVM through the real command line, with a given
 * environment instead of the process's, on the in-memory or filesystem storage the arguments
 * name (S3 is not wired). Register it with {@code @RegisterExtension}: what it started is closed
 * after each test.
 */
final class InProcessServe implements AfterEachCallback {
    private final AuthFactory auth;
    private final List<Registry> started = new ArrayList<>();

    /** With the launcher's own auth (htpasswd, token). */
    InProcessServe() {
        this(new ConfiguredAuth());
    }

    InProcessServe(AuthFactory auth) {
        this.auth = auth;
    }

    /** Runs {@code serve ARGS} with {@code env} as the environment; its exit code, its messages in {@code err}. */
    int execute(Map<String, String> env, StringWriter err, String... args) {
        RegistryServer server = new RegistryServer(auth, S3StorageFactory.UNAVAILABLE);
        CommandLine commandLine = Main.commandLine((options, printer) -> {
            started.add(server.start(options, printer).registry());
            return 0;
        }, env);
        commandLine.setOut(new PrintWriter(new StringWriter(), true));
        commandLine.setErr(new PrintWriter(err, true));
        String[] command = new String[args.length + 1];
        command[0] = "serve";
        System.arraycopy(args, 0, command, 1, args.length);
        return commandLine.execute(command);
    }

    /** As {@link #execute}, which must exit 0; the registry it started. */
    Registry start(Map<String, String> env, String... args) {
        StringWriter err = new StringWriter();
        assertEquals(0, execute(env, err, args), err.toString());
        return started.get(started.size() - 1);
    }

    /** As {@link #start}, with nothing written to stderr either. */
    Registry startWithoutWarnings(Map<String, String> env, String... args) {
        StringWriter err = new StringWriter();
        assertEquals(0, execute(env, err, args), err.toString());
        assertTrue(err.toString().isEmpty(), "no warnings: " + err);
        return started.get(started.size() - 1);
    }

    boolean startedNothing() {
        return started.isEmpty();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        started.forEach(Registry::close);
        started.clear();
    }
}
