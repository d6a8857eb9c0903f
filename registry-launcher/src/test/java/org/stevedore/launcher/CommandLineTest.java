package org.stevedore.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Parses the way users type, through the real command tree, without starting a server. */
class CommandLineTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private ServeOptions served;

    private int run(String... args) {
        CommandLine commandLine = Main.commandLine((options, printer) -> {
            served = options;
            printer.println("started");
            return 0;
        });
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @Test
    void serveDefaultsToEveryInterfacePort5000AndDataDirectory() {
        assertEquals(0, run("serve"));
        assertEquals(new ServeOptions(Optional.empty(), new ListenAddress("", 5000), Path.of("./data")), served);
        assertEquals("0.0.0.0", served.address().bindAddress());
        assertEquals("", err.toString());
    }

    @Test
    void serveTakesAddrAndRoot() {
        assertEquals(0, run("serve", "--addr", "127.0.0.1:5077", "--root", "/tmp/x"));
        assertEquals(new ListenAddress("127.0.0.1", 5077), served.address());
        assertEquals(Path.of("/tmp/x"), served.root());
    }

    @Test
    void serveTakesBracketedIpv6AndEqualsForm() {
        assertEquals(0, run("serve", "--addr=[::1]:5000"));
        assertEquals(new ListenAddress("::1", 5000), served.address());
    }

    @Test
    void configFileIsAcceptedWithWarning() {
        assertEquals(0, run("serve", "/etc/docker/registry/config.yml", "--addr", ":5001"));
        assertEquals(Optional.of(Path.of("/etc/docker/registry/config.yml")), served.config());
        assertEquals(5001, served.address().port());
        assertTrue(err.toString().contains("warning: config file /etc/docker/registry/config.yml is not read yet"),
                err.toString());
        assertEquals("started" + System.lineSeparator(), out.toString());
    }

    @Test
    void invalidAddrIsUsageErrorWithReason() {
        assertEquals(2, run("serve", "--addr", "nonsense"));
        assertNull(served);
        String message = err.toString();
        assertTrue(message.contains("Invalid value for option '--addr'"), message);
        assertTrue(message.contains("expected HOST:PORT"), message);
        assertTrue(message.contains("Try 'stevedore serve --help' for more information."), message);
    }

    @Test
    void portOutOfRangeIsUsageError() {
        assertEquals(2, run("serve", "--addr", ":70000"));
        assertNull(served);
        assertTrue(err.toString().contains("port must be a number from 0 to 65535"), err.toString());
    }

    @Test
    void unknownOptionAndSecondPositionalAreUsageErrors() {
        assertEquals(2, run("serve", "--bogus"));
        assertEquals(2, run("serve", "a.yml", "b.yml"));
        assertNull(served);
    }

    @Test
    void topLevelHelpListsServe() {
        assertEquals(0, run("--help"));
        assertTrue(out.toString().contains("Usage: stevedore"), out.toString());
        assertTrue(out.toString().contains("serve"), out.toString());
        assertNull(served);
    }

    @Test
    void everyCommandHasHelp() {
        assertEquals(0, run("serve", "--help"));
        String help = out.toString();
        assertTrue(help.contains("Usage: stevedore serve [-hV]"), help);
        for (String part : new String[] {"--addr=HOST:PORT", "--root=DIR", "[CONFIG]"}) {
            assertTrue(help.contains(part), help);
        }
        assertTrue(help.contains("default :5000"), help);
        assertTrue(help.contains("default ./data"), help);
        assertNull(served);
    }

    @Test
    void versionComesFromTheBuild() {
        assertEquals(0, run("--version"));
        assertTrue(out.toString().matches("stevedore \\d+\\.\\d+\\.\\d+.*\\R"), out.toString());
    }

    @Test
    void missingSubcommandIsUsageError() {
        assertEquals(2, run());
        assertTrue(err.toString().contains("Missing required subcommand"), err.toString());
    }

    @Test
    void serveFailureIsExitCode1WithReason() {
        CommandLine commandLine = Main.commandLine((options, printer) -> {
            throw new IllegalStateException("cannot serve on :5000: Address already in use");
        });
        commandLine.setErr(new PrintWriter(err, true));
        assertEquals(1, commandLine.execute("serve"));
        assertEquals("stevedore serve: cannot serve on :5000: Address already in use" + System.lineSeparator(), err.toString());
    }
}
