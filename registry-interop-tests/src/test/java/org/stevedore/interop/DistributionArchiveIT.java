package org.stevedore.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The distribution archive as an operator uses it: unpacked, {@code bin/stevedore serve} with the
 * shipped conf/config.yml (its root moved by a REGISTRY_* variable), skopeo pushes and pulls,
 * SIGTERM ends it with 0; the second start makes the class-data archive (Java 25: the AOT cache)
 * from what the first one recorded, and maps it; a file the JVM refuses in its place is ignored
 * without a word. Run with the tests' own Java and with each Temurin 25 on the machine
 * ({@link JavaRuntime#onThisMachine()}). The
 * launcher refuses a Java older than 17, and the systemd unit passes {@code systemd-analyze verify}.
 */
class DistributionArchiveIT {
    @TempDir
    Path work;

    static List<JavaRuntime> javaRuntimes() throws IOException {
        return JavaRuntime.onThisMachine();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("javaRuntimes")
    void unpackedArchiveServesPushAndPullAndStopsCleanlyOnSigterm(JavaRuntime java) throws Exception {
        DistributionArchive dist = DistributionArchive.unpack(work.resolve("opt"));
        for (String file : List.of("bin/stevedore", "lib/stevedore.jar", "conf/config.yml",
                "systemd/stevedore.service", "LICENSE", "README")) {
            assertTrue(Files.isRegularFile(dist.home().resolve(file)), file);
        }
        assertTrue(Files.isExecutable(dist.launcher()), "bin/stevedore is executable");
        assertTrue(Files.readString(dist.home().resolve("conf/config.yml")).contains("rootdirectory: /var/lib/stevedore"),
                "the shipped config has an absolute root");

        Path root = work.resolve("root");
        int port = FreePorts.find();
        Map<String, String> environment = Map.of("JAVA_HOME", java.home().toString(),
                "REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY", root.toString(),
                "REGISTRY_HTTP_ADDR", "127.0.0.1:" + port);
        URI v2 = URI.create("http://127.0.0.1:" + port + "/v2/");
        Path lib = dist.home().resolve("lib");
        String recordGlob = java.recordGlob();
        String cacheGlob = java.cacheGlob();

        Path firstLog = work.resolve("first.log");
        Process first = dist.start(environment, firstLog, "serve");
        DistributionArchive.awaitStatus(first, v2, 200, firstLog);
        // A filesystem registry leaves S3's libraries closed (lib/s3/, opened only for storage.s3).
        Path s3Libraries = dist.home().resolve("lib/s3");
        assertTrue(Files.isDirectory(s3Libraries), "the archive ships lib/s3/");
        assertTrue(DistributionArchive.openFiles(first).stream().noneMatch(file -> file.startsWith(s3Libraries)),
                "no jar of lib/s3 is open: " + DistributionArchive.openFiles(first));
        Skopeo skopeo = Skopeo.in(work.resolve("skopeo"));
        OciImage image = OciLayoutWriter.write(work.resolve("source"), "v1", 2, 18);
        String remote = "docker://127.0.0.1:" + port + "/dist/app:v1";
        skopeo.copy("oci:" + work.resolve("source") + ":v1", remote, "--preserve-digests", "--dest-tls-verify=false");
        // Java 25 writes the AOT record while it exits: the stop waits for it.
        stopWithSigterm(first, firstLog);
        assertTrue(Files.readString(firstLog).contains("storage root " + root), Files.readString(firstLog));
        List<Path> recorded = DistributionArchive.filesIn(lib, recordGlob);
        assertEquals(1, recorded.size(), "the first serve recorded the classes it loaded: " + recorded);
        assertTrue(Files.size(recorded.get(0)) > 0, recorded.get(0) + " is not empty");
        if (!java.aotCache()) {
            String classList = Files.readString(recorded.get(0));
            assertTrue(classList.contains("org/stevedore/launcher/Main"), "the list names the server's classes");
            // XNIO was refused the platform MBean server (NoXnioMBeanServerBuilder): it was never built.
            assertFalse(classList.contains("com/sun/jmx/mbeanserver/JmxMBeanServer"), "no MBean server was built");
        }

        // Second start: java from PATH this time; it turns the record into the archive or cache
        // and maps it; the content is still there.
        Path secondLog = work.resolve("second.log");
        Process second = dist.start(Map.of("PATH", java.home() + "/bin:/usr/bin:/bin",
                "REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY", root.toString(),
                "REGISTRY_HTTP_ADDR", "127.0.0.1:" + port), secondLog, "serve");
        // The dump is 2-3 CPU-s on its own; on a machine shared with other builds it took 60 s.
        DistributionArchive.awaitStatus(second, v2, 200, secondLog, Duration.ofMinutes(3));
        List<Path> written = DistributionArchive.filesIn(lib, cacheGlob);
        assertEquals(1, written.size(), "the second start wrote one archive or cache: " + written);
        Path classData = written.get(0);
        assertTrue(Files.readString(Path.of("/proc/" + second.pid() + "/maps")).contains(classData.toString()),
                "the JVM maps " + classData);
        if (java.aotCache()) {
            assertEquals(List.of(), DistributionArchive.filesIn(lib, recordGlob), "the record goes once the cache is made");
        }
        Path copy = work.resolve("copy");
        skopeo.copy(remote, "oci:" + copy + ":v1", "--src-tls-verify=false");
        image.assertSameAs(OciLayoutReader.read(copy, "v1"));
        stopWithSigterm(second, secondLog);
        assertJvmSaidNothing(secondLog);

        // A file the JVM refuses (here: not an archive at all, yet newer than the jar, so the
        // launcher keeps it) costs the speed-up and nothing else: the server starts, serves, and
        // the log has no word from the JVM about it.
        Files.write(classData, new byte[4096]);
        Path thirdLog = work.resolve("third.log");
        Process third = dist.start(environment, thirdLog, "serve");
        DistributionArchive.awaitStatus(third, v2, 200, thirdLog);
        assertFalse(Files.readString(Path.of("/proc/" + third.pid() + "/maps")).contains(classData.toString()),
                "the JVM does not map the refused " + classData);
        skopeo.copy(remote, "oci:" + work.resolve("copy-again") + ":v1", "--src-tls-verify=false");
        stopWithSigterm(third, thirdLog);
        assertJvmSaidNothing(thirdLog);
    }

    @Test
    void launcherRefusesJavaOlderThan17() throws Exception {
        DistributionArchive dist = DistributionArchive.unpack(work.resolve("opt"));
        Path oldJava = Files.createDirectories(work.resolve("jdk-11/bin"));
        Files.writeString(oldJava.getParent().resolve("release"), "IMPLEMENTOR=\"test\"\nJAVA_VERSION=\"11.0.22\"\n");
        Path java = Files.writeString(oldJava.resolve("java"), "#!/bin/sh\necho started >&2\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));

        Processes.Result refused = Processes.run(List.of(dist.launcher().toString(), "serve"),
                Map.of("JAVA_HOME", oldJava.getParent().toString()), Duration.ofSeconds(30));
        assertEquals(1, refused.exitCode(), refused.describe());
        assertTrue(refused.stderr().contains("Java 11.0.22; Stevedore needs Java 17 or later"), refused.describe());
        assertFalse(refused.stderr().contains("started"), "the old java never ran");
    }

    @Test
    void systemdUnitPassesSystemdAnalyzeVerify() throws Exception {
        DistributionArchive dist = DistributionArchive.unpack(work.resolve("opt"));
        String unit = Files.readString(dist.home().resolve("systemd/stevedore.service"));
        for (String setting : List.of("ExecStart=/opt/stevedore/bin/stevedore serve /etc/stevedore/config.yml\n",
                "DynamicUser=yes\n", "StateDirectory=stevedore\n", "ProtectSystem=strict\n", "Restart=on-failure\n")) {
            assertTrue(unit.contains(setting), setting);
        }
        // verify checks that ExecStart names an executable: point it at the unpacked launcher.
        Path copy = Files.createDirectories(work.resolve("units")).resolve("stevedore.service");
        Files.writeString(copy, unit.replace("ExecStart=/opt/stevedore/", "ExecStart=" + dist.home() + "/"));
        Path analyze = Processes.requireTool("systemd-analyze",
                "Install it with `apt-get install systemd` (scripts/test does this in CI).");
        Processes.Result verify = Processes.run(List.of(analyze.toString(), "verify", copy.toString()), Map.of(),
                Duration.ofSeconds(60));
        assertEquals(0, verify.exitCode(), verify.describe());
        assertFalse(verify.stderr().contains("stevedore.service"), "no warning about the unit: " + verify.describe());
    }

    /** No JVM warning or error in the log: the launcher's options keep a refused archive quiet. */
    private static void assertJvmSaidNothing(Path log) throws IOException {
        String output = Files.readString(log);
        for (String alarm : List.of("[warning]", "[error", "WARNING:", "Error:")) {
            assertFalse(output.contains(alarm), "the log has no " + alarm + ":\n" + output);
        }
    }

    private static void stopWithSigterm(Process server, Path log) throws Exception {
        server.destroy(); // SIGTERM
        // Generous: a Java 25 recording its AOT configuration writes ~30 MB as it exits (9 s at load 20).
        assertTrue(server.waitFor(90, TimeUnit.SECONDS), "stopped within 90 s");
        assertEquals(0, server.exitValue(), Files.readString(log));
    }
}
