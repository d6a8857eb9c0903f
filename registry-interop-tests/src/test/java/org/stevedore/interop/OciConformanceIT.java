package org.stevedore.interop;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stevedore.auth.htpasswd.Bcrypt;

/**
 * The official OCI distribution-spec conformance suite (v1.1.1, a static binary kept beside the
 * repository in {@code ../shared/conformance/}) against {@code stevedore serve}: every workflow
 * (pull, push, content discovery, content management) with deletion on and automatic cross-mount,
 * once open and once behind htpasswd. Every spec that runs must pass, and no fewer than the suite
 * runs in this setup may run; a missing binary fails, it never skips.
 */
class OciConformanceIT {
    /** Specs the suite runs in this setup; the other 4 of its 79 it skips itself (see its README). */
    private static final int SPECS_RUN = 75;
    private static final Pattern RAN = Pattern.compile("Ran (\\d+) of (\\d+) Specs");
    private static final Pattern PASSED = Pattern.compile("(\\d+) Passed \\| (\\d+) Failed");
    private static final Pattern FAILED_SPEC = Pattern.compile("\\[FAIL] (.+)");
    private static final Pattern ANSI = Pattern.compile("\u001b\\[[0-9;]*m");

    @TempDir
    Path work;

    @Test
    void everySpecPassesWithDeletionAndAutomaticCrossMount() throws Exception {
        try (StevedoreProcess stevedore = StevedoreProcess.start(work.resolve("open"),
                Map.of("REGISTRY_STORAGE_DELETE_ENABLED", "true"))) {
            runSuite(stevedore, Map.of(), "open");
        }
    }

    @Test
    void everySpecPassesBehindHtpasswd() throws Exception {
        String user = "conformance";
        String password = "s3cret pass";
        Path htpasswd = work.resolve("htpasswd");
        Files.createDirectories(work);
        Files.writeString(htpasswd, user + ":" + Bcrypt.hash(password, 5) + "\n");
        try (StevedoreProcess stevedore = StevedoreProcess.start(work.resolve("auth"), Map.of(
                "REGISTRY_STORAGE_DELETE_ENABLED", "true",
                "REGISTRY_AUTH", "htpasswd",
                "REGISTRY_AUTH_HTPASSWD_REALM", "conformance",
                "REGISTRY_AUTH_HTPASSWD_PATH", htpasswd.toString()))) {
            runSuite(stevedore, Map.of("OCI_USERNAME", user, "OCI_PASSWORD", password), "htpasswd");
        }
    }

    private void runSuite(StevedoreProcess stevedore, Map<String, String> extra, String label) throws Exception {
        Path binary = binary();
        Path report = Files.createDirectories(work.resolve("report-" + label));
        Map<String, String> environment = new HashMap<>(Map.of(
                "OCI_ROOT_URL", "http://" + stevedore.hostPort(),
                "OCI_NAMESPACE", "conformance/repo",
                "OCI_CROSSMOUNT_NAMESPACE", "conformance/other",
                "OCI_TEST_PULL", "1",
                "OCI_TEST_PUSH", "1",
                "OCI_TEST_CONTENT_DISCOVERY", "1",
                "OCI_TEST_CONTENT_MANAGEMENT", "1",
                "OCI_AUTOMATIC_CROSSMOUNT", "1",
                "OCI_REPORT_DIR", report.toString()));
        environment.putAll(extra);
        Processes.Result result = Processes.run(List.of(binary.toString()), environment, Duration.ofMinutes(5));
        String output = ANSI.matcher(result.stdoutText() + "\n" + result.stderr()).replaceAll("");
        Matcher ran = RAN.matcher(output);
        Matcher passed = PASSED.matcher(output);
        if (!ran.find() || !passed.find()) {
            fail(label + ": the conformance suite printed no summary (exit " + result.exitCode() + ")\n" + output
                    + "\n--- stevedore ---\n" + stevedore.output());
        }
        int specsRan = Integer.parseInt(ran.group(1));
        int specsPassed = Integer.parseInt(passed.group(1));
        int specsFailed = Integer.parseInt(passed.group(2));
        String counts = label + ": " + specsPassed + " of " + specsRan + " specs passed, " + specsFailed
                + " failed (" + ran.group(2) + " in the suite)";
        System.out.println("FIGURES: OCI conformance v1.1.1, " + counts);
        if (result.exitCode() != 0 || specsFailed != 0 || specsPassed != specsRan) {
            List<String> failures = new ArrayList<>();
            for (Matcher m = FAILED_SPEC.matcher(output); m.find(); ) failures.add(m.group(1).trim());
            fail(counts + "; exit " + result.exitCode() + "; failing: " + String.join(" / ", failures)
                    + "\n--- suite ---\n" + output);
        }
        assertTrue(specsRan >= SPECS_RUN, () -> counts + ": fewer specs ran than the " + SPECS_RUN + " expected");
    }

    private static Path binary() {
        Path binary = Path.of(System.getProperty("oci.conformance.binary", "../../shared/conformance/conformance.test"));
        if (!Files.isExecutable(binary)) {
            fail("the OCI conformance suite is missing: " + binary.toAbsolutePath().normalize()
                    + " (it lives in ../shared/conformance/ beside the repository root, see its README)");
        }
        return binary;
    }
}
