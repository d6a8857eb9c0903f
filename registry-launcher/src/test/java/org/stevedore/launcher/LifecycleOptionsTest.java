package org.stevedore.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code serve}'s lifecycle flags: distribution's defaults, parsing, Go-style durations. */
class LifecycleOptionsTest {
    private final StringWriter err = new StringWriter();
    private ServeOptions served;

    private int run(String... args) {
        CommandLine commandLine = Main.commandLine((options, printer) -> {
            served = options;
            return 0;
        });
        commandLine.setOut(new PrintWriter(new StringWriter(), true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @Test
    void defaultsAreDistributions() {
        assertEquals(0, run("serve"));
        LifecycleOptions options = served.lifecycle();
        assertFalse(options.deleteEnabled);
        assertFalse(options.readOnly);
        assertEquals(Optional.empty(), options.gcInterval());
        assertFalse(options.noUploadPurging);
        assertEquals(Duration.ofHours(168), options.uploadPurgingAge);
        assertEquals(Duration.ofHours(24), options.uploadPurgingInterval);
        assertFalse(options.uploadPurgingDryRun);
    }

    @Test
    void everyFlagIsParsed() {
        assertEquals(0, run("serve", "--delete-enabled", "--read-only", "--gc-interval", "10m",
                "--gc-grace-period", "1h30m", "--no-upload-purging", "--upload-purging-age", "2h",
                "--upload-purging-interval", "90s", "--upload-purging-dry-run"));
        LifecycleOptions options = served.lifecycle();
        assertTrue(options.deleteEnabled);
        assertTrue(options.readOnly);
        assertEquals(Optional.of(Duration.ofMinutes(10)), options.gcInterval());
        assertEquals(Duration.ofMinutes(90), options.gcGracePeriod);
        assertTrue(options.noUploadPurging);
        assertEquals(Duration.ofHours(2), options.uploadPurgingAge);
        assertEquals(Duration.ofSeconds(90), options.uploadPurgingInterval);
        assertTrue(options.uploadPurgingDryRun);
    }

    @Test
    void flagsReachTheRegistry() throws Exception {
        assertEquals(0, run("serve"));
        assertEquals(405, deleteStatus(served.lifecycle()));
        assertEquals(0, run("serve", "--delete-enabled"));
        assertEquals(404, deleteStatus(served.lifecycle())); // allowed; the manifest just is not there
        assertEquals(0, run("serve", "--delete-enabled", "--read-only"));
        assertEquals(405, deleteStatus(served.lifecycle()));
    }

    private static int deleteStatus(LifecycleOptions options) throws Exception {
        try (org.stevedore.registry.Registry registry =
                     LifecycleSettings.apply(options, org.stevedore.registry.Registry.builder()).start()) {
            var request = java.net.http.HttpRequest.newBuilder(
                    registry.url().resolve("/v2/app/manifests/sha256:" + "0".repeat(64))).DELETE().build();
            return java.net.http.HttpClient.newHttpClient()
                    .send(request, java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
        }
    }

    @Test
    void badDurationIsAUsageError() {
        assertEquals(2, run("serve", "--gc-interval", "soon"));
        assertTrue(err.toString().contains("not a duration: soon"), err.toString());
    }

    @Test
    void goDurationsParse() {
        assertEquals(Duration.ofHours(168), GoDuration.parse("168h"));
        assertEquals(Duration.ofMillis(1500), GoDuration.parse("1s500ms"));
        assertEquals(Duration.ZERO, GoDuration.parse("0"));
        assertThrows(IllegalArgumentException.class, () -> GoDuration.parse("5"));
        assertThrows(IllegalArgumentException.class, () -> GoDuration.parse("h5"));
        assertThrows(IllegalArgumentException.class, () -> GoDuration.parse("5d"));
    }
}
