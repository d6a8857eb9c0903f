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

    /** As {@link #run}, through the tree {@code main} builds for these arguments. */
    private int runAsMain(String... args) {
        CommandLine commandLine = Main.commandLine((options, printer) -> {
            served = options;
            return 0;
        }, java.util.Map.of(), args);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @Test
    void serveParsesAlikeInTheServeOnlyTreeMainBuildsForIt() {
        assertEquals(0, runAsMain("serve", "--addr", "127.0.0.1:5077", "--root", "/tmp/x"));
        ServeOptions alone = served;
        assertEquals(0, run("serve", "--addr", "127.0.0.1:5077", "--root", "/tmp/x"));
        assertEquals(served, alone);
        assertEquals(2, runAsMain("serve", "--adr", ":5000"));
        assertTrue(err.toString().contains("Unknown option: '--adr'"), err.toString());
        assertTrue(err.toString().contains("Try 'stevedore serve --help'"), err.toString());
    }

    @Test
    void everyOtherInvocationGetsTheWholeTree() {
        assertEquals(0, runAsMain("help", "usage"));
        assertTrue(out.toString().contains("stevedore usage"), out.toString());
        assertEquals(0, runAsMain("--help"));
        assertTrue(out.toString().contains("garbage-collect") && out.toString().contains("copy"), out.toString());
    }

    @Test
    void serveDefaultsToEveryInterfacePort5000AndDataDirectory() {
        assertEquals(0, run("serve"));
        assertEquals(new ServeOptions(Optional.empty(), RegistryConfig.defaults()), served);
        assertEquals(new ListenAddress("", 5000), served.address());
        assertEquals("0.0.0.0", served.address().bindAddress());
        assertEquals(new StorageConfig.Driver.Filesystem(Path.of("./data")), served.config().storage().driver());
        assertEquals("", err.toString());
    }

    @Test
    void serveTakesAddrAndRoot() {
        assertEquals(0, run("serve", "--addr", "127.0.0.1:5077", "--root", "/tmp/x"));
        assertEquals(new ListenAddress("127.0.0.1", 5077), served.address());
        assertEquals(new StorageConfig.Driver.Filesystem(Path.of("/tmp/x")), served.config().storage().driver());
    }

    @Test
    void serveTakesBracketedIpv6AndEqualsForm() {
        assertEquals(0, run("serve", "--addr=[::1]:5000"));
        assertEquals(new ListenAddress("::1", 5000), served.address());
    }

    @Test
    void debianConfigFileIsReadAndFlagsOverrideIt() {
        assertEquals(0, run("serve", "/etc/docker/registry/config.yml", "--addr", ":5001"));
        assertEquals(Optional.of(Path.of("/etc/docker/registry/config.yml")), served.configFile());
        assertEquals(5001, served.address().port());
        assertEquals(new StorageConfig.Driver.Filesystem(Path.of("/var/lib/docker-registry")),
                served.config().storage().driver());
        assertTrue(served.config().storage().deleteEnabled());
        assertEquals(java.util.Map.of("X-Content-Type-Options", java.util.List.of("nosniff")),
                served.config().http().headers());
        assertEquals(Optional.of(new AuthConfig.Htpasswd("basic-realm", Path.of("/etc/docker/registry"))),
                served.config().auth());
        String warnings = err.toString();
        assertTrue(!warnings.contains("warning:"), "log.fields and health are read now: " + warnings);
        assertEquals(java.util.Map.of("service", "registry"), served.config().log().fields());
        assertTrue(served.config().health().storageDriver().isPresent());
        assertEquals("started" + System.lineSeparator(), out.toString());
    }

    @Test
    void tlsSelfSignedTakesHostsAndDirectory() {
        assertEquals(0, run("serve", "--tls-self-signed", "registry.local", "127.0.0.1", "--tls-dir", "/tmp/t"));
        TlsConfig tls = served.config().http().tls().orElseThrow();
        assertEquals(java.util.List.of("registry.local", "127.0.0.1"), tls.selfSignedHosts());
        assertEquals(Optional.of(Path.of("/tmp/t")), tls.selfSignedDir());
        assertTrue(tls.isSelfSigned());
    }

    @Test
    void configFileAfterTlsSelfSignedIsUsageError() {
        assertEquals(2, run("serve", "--tls-self-signed", "registry.local", "config.yml"));
        assertNull(served);
        assertTrue(err.toString().contains("put CONFIG before --tls-self-signed"), err.toString());
    }

    @Test
    void tlsDirWithoutSelfSignedIsUsageError() {
        assertEquals(2, run("serve", "--tls-dir", "/tmp/t"));
        assertNull(served);
        assertTrue(err.toString().contains("--tls-dir needs --tls-self-signed"), err.toString());
    }

    @Test
    void badConfigValueExitsOneNamingTheKey() throws Exception {
        Path file = java.nio.file.Files.createTempFile("stevedore", ".yml");
        try {
            java.nio.file.Files.writeString(file, "version: 0.1\nstorage:\n  inmemory:\n  delete:\n    enabled: maybe\n");
            assertEquals(1, run("serve", file.toString()));
            assertNull(served);
            assertTrue(err.toString().contains("stevedore serve: configuration error: storage.delete.enabled:"
                    + " expected true or false, got 'maybe'"), err.toString());
        } finally {
            java.nio.file.Files.delete(file);
        }
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
        assertTrue(help.contains("Usage: stevedore serve [-hV] [--check] [--addr=HOST:PORT] [--root=DIR]"), help);
        assertTrue(help.contains("--tls-self-signed=HOST..."), help);
        assertTrue(help.contains("default :5000"), help);
        assertTrue(help.contains("default ./data"), help);
        assertNull(served);
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
