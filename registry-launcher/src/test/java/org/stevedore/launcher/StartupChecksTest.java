package org.stevedore.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stevedore.registry.Registry;
import picocli.CommandLine;

/**
 * Issue 16 items 6 and 8, through the command line: {@code serve --check}, the start banner's
 * effective state, and the storage root checked before the server takes it.
 */
class StartupChecksTest {
    @TempDir
    Path temp;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final List<Registry> started = new ArrayList<>();

    @AfterEach
    void stop() {
        started.forEach(Registry::close);
    }

    private int serve(Map<String, String> env, String... args) {
        RegistryServer server = new RegistryServer(new ConfiguredAuth(), S3StorageFactory.UNAVAILABLE);
        CommandLine commandLine = Main.commandLine((options, printer) -> {
            started.add(server.start(options, printer).registry());
            return 0;
        }, env);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        String[] command = new String[args.length + 1];
        command[0] = "serve";
        System.arraycopy(args, 0, command, 1, args.length);
        return commandLine.execute(command);
    }

    @Test
    void checkPrintsTheSettingsWithSecretsMaskedAndTheEffectiveStateWithoutStarting() throws Exception {
        Path root = temp.resolve("data");
        Path config = Files.writeString(temp.resolve("config.yml"), "version: 0.1\n"
                + "http:\n  secret: http-secret-value\n  headers:\n    Authorization: [Basic c2VjcmV0]\n"
                + "storage:\n  filesystem:\n    rootdirectory: " + root + "\n  delete:\n    enabled: true\n"
                + "  maintenance:\n    gc:\n      enabled: true\n      interval: 30m\n"
                + "proxy:\n  remoteurl: https://mirror.example\n  username: pull\n  password: proxy-password-value\n"
                + "notifications:\n  endpoints:\n    - name: hook\n      url: https://user:url-password-value@hooks.example/x\n");
        assertEquals(0, serve(Map.of("REGISTRY_STORAGE_MAINTENANCE_READONLY_ENABLED", "true"),
                config.toString(), "--check", "--addr", "127.0.0.1:5099"), err.toString());
        String report = out.toString();
        for (String secret : new String[] {"http-secret-value", "c2VjcmV0", "proxy-password-value", "url-password-value"}) {
            assertFalse(report.contains(secret), secret + " shown: " + report);
        }
        assertTrue(report.contains("configuration file: " + config), report);
        assertTrue(report.contains("environment: REGISTRY_STORAGE_MAINTENANCE_READONLY_ENABLED"), report);
        assertTrue(report.contains("    password: '" + ConfigCheck.MASK + "'"), report);
        assertTrue(report.contains("https://user:" + ConfigCheck.MASK + "@hooks.example/x"), report);
        assertTrue(report.contains("username: pull"), report);
        assertTrue(report.contains("effective: listening on 127.0.0.1:5099, storage root " + root + ", auth none, delete enabled,"
                + " read-only, online GC every 30m (grace 1h), upload purging of sessions older than 168h every 24h"),
                report);
        assertTrue(report.contains("storage root " + root + " does not exist yet; serve creates it"), report);
        assertTrue(report.endsWith("configuration OK" + System.lineSeparator()), report);
        assertTrue(started.isEmpty());
        assertFalse(Files.exists(root));
    }

    @Test
    void checkCountsWarningsAndFailsOnErrors() throws Exception {
        Path typo = Files.writeString(temp.resolve("typo.yml"), "version: 0.1\nstorage:\n  inmemory:\n"
                + "  delete:\n    enable: true\n");
        assertEquals(0, serve(Map.of(), typo.toString(), "--check"));
        assertTrue(err.toString().contains("warning: storage.delete.enable is not a known key; did you mean"
                + " storage.delete.enabled? Ignored"), err.toString());
        assertTrue(out.toString().contains("delete disabled"), out.toString());
        assertTrue(out.toString().contains("configuration OK (1 warning, above)"), out.toString());

        Path bad = Files.writeString(temp.resolve("bad.yml"), "version: 0.1\nhttp:\n  addr: nowhere\n");
        assertEquals(1, serve(Map.of(), bad.toString(), "--check"));
        assertTrue(err.toString().contains("stevedore serve: configuration error: http.addr:"), err.toString());

        Path file = Files.writeString(temp.resolve("a-file"), "x");
        assertEquals(1, serve(Map.of(), "--check", "--root", file.toString()));
        assertTrue(err.toString().contains("storage root " + file + " is a file, not a directory"), err.toString());
    }

    @Test
    void bannerShowsTheEffectiveState() throws Exception {
        Path root = temp.resolve("data");
        Path htpasswd = Files.writeString(temp.resolve("htpasswd"), "");
        assertEquals(0, serve(Map.of("REGISTRY_AUTH", "htpasswd", "REGISTRY_AUTH_HTPASSWD_REALM", "r",
                "REGISTRY_AUTH_HTPASSWD_PATH", htpasswd.toString(),
                "REGISTRY_STORAGE_MAINTENANCE_UPLOADPURGING_ENABLED", "false"),
                "--addr", "127.0.0.1:0", "--root", root.toString()), err.toString());
        String banner = out.toString().lines().findFirst().orElseThrow();
        assertTrue(banner.matches("stevedore serving http://127\\.0\\.0\\.1:\\d+, storage root \\Q" + root
                + "\\E, auth htpasswd, delete disabled, read-write, online GC off, upload purging off"), banner);
    }

    @Test
    void aStorageRootThatIsAFileOrUnderAFileStopsTheStartInWords() throws Exception {
        Path file = Files.writeString(temp.resolve("a-file"), "x");
        assertEquals(1, serve(Map.of(), "--addr", "127.0.0.1:0", "--root", file.toString()));
        assertTrue(err.toString().contains("stevedore serve: storage root " + file + " is a file, not a directory"),
                err.toString());
        assertEquals(1, serve(Map.of(), "--addr", "127.0.0.1:0", "--root", file.resolve("below").toString()));
        assertTrue(err.toString().contains("cannot create storage root " + file.resolve("below") + ": " + file
                + " is a file, not a directory"), err.toString());
        assertFalse(err.toString().contains("Exception"), err.toString());
        assertTrue(started.isEmpty());
    }

    /** /sys refuses new files even to root, so this holds for any user (chmod would not stop root). */
    @Test
    void anUnwritableStorageRootStopsTheStartInsteadOfFailingTheFirstPush() {
        assertEquals(1, serve(Map.of(), "--addr", "127.0.0.1:0", "--root", "/sys/kernel"));
        assertTrue(err.toString().matches("(?s)stevedore serve: storage root /sys/kernel is not writable:"
                + " (permission denied|read-only file system) \\(the server must create, write and delete files"
                + " there\\)\\R"), err.toString());
        assertTrue(started.isEmpty());
    }

    @Test
    void aReadOnlyRegistryNeedsNoWritableRoot() {
        assertEquals(0, serve(Map.of("REGISTRY_STORAGE_MAINTENANCE_READONLY_ENABLED", "true"),
                "--addr", "127.0.0.1:0", "--root", "/sys/kernel"), err.toString());
        assertTrue(out.toString().contains(", read-only, "), out.toString());
    }
}
