package org.stevedore.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stevedore.registry.Registry;
import org.stevedore.registry.fixtures.PushedImage;
import picocli.CommandLine;

/** {@code stevedore copy} through the real command tree, between in-process registries and a layout. */
class CopyCommandTest {
    @TempDir
    Path temp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine commandLine = Main.commandLine((options, printer) -> 0, Map.of());
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @Test
    void copiesWithCredentialsFromFlagsAndPrintsTheDigest() {
        try (Registry source = Registry.builder().users(Map.of("ci", "pw")).start(); Registry target = Registry.builder().start()) {
            PushedImage image = source.fixtures().pushImage("demo/app", "1", 100, 200);
            assertEquals(0, run("copy", "--src-creds", "ci:pw", "docker://" + source.hostPort() + "/demo/app:1",
                    "oci:" + temp.resolve("layout") + ":1"), err.toString());
            assertEquals(0, run("copy", "oci:" + temp.resolve("layout") + ":1",
                    "docker://" + target.hostPort() + "/copied/app:2"), err.toString());
            assertTrue(out.toString().startsWith(image.manifest() + " (3 blobs sent"), out.toString());
            assertEquals(image.manifest(), target.contents().manifest("copied/app", "2").orElseThrow().digest());
        }
    }

    @Test
    void copiesIntoAndOutOfADockerSaveArchive() throws Exception {
        try (Registry source = Registry.builder().start(); Registry target = Registry.builder().start()) {
            PushedImage image = source.fixtures().pushImage("demo/app", "1", 300, 400);
            Path archive = temp.resolve("app.tar");
            assertEquals(0, run("copy", "docker://" + source.hostPort() + "/demo/app:1",
                    "docker-archive:" + archive + ":demo/app:1"), err.toString());
            assertEquals(0, run("copy", "docker-archive:" + archive, "docker://" + target.hostPort() + "/copied/app:1"),
                    err.toString());
            byte[] manifest = target.contents().manifest("copied/app", "1").orElseThrow().bytes();
            assertTrue(new String(manifest, java.nio.charset.StandardCharsets.UTF_8).contains(image.config().toString()),
                    "the config, Docker's image ID, is kept");
        }
    }

    @Test
    void certificateDirectoriesAreWhatTheSourceIsVerifiedAgainst() throws Exception {
        org.stevedore.tls.SelfSignedTls tls = org.stevedore.tls.SelfSignedTls.forLoopback();
        try (Registry source = Registry.builder().tls(tls.serverContext()).start()) {
            PushedImage image = source.fixtures().pushImage("tls/app", "1", 100);
            Path strangers = org.stevedore.tls.SelfSignedTls.forLoopback().writeCaCertificate(temp.resolve("strangers"))
                    .getParent();
            assertEquals(1, run("copy", "--retry-times=0", "--src-cert-dir", strangers.toString(),
                    "docker://" + source.hostPort() + "/tls/app:1", "oci:" + temp.resolve("refused") + ":1"));
            Path certs = tls.writeCaCertificate(temp.resolve("certs")).getParent();
            assertEquals(0, run("copy", "--src-cert-dir", certs.toString(), "docker://" + source.hostPort() + "/tls/app:1",
                    "oci:" + temp.resolve("layout") + ":1"), err.toString());
            assertTrue(out.toString().startsWith(image.manifest().toString()), out.toString());
        }
    }

    @Test
    void refusedCredentialsAndUnknownLocationsAreReported() {
        try (Registry source = Registry.builder().users(Map.of("ci", "pw")).start()) {
            assertEquals(1, run("copy", "--retry-times=0", "--src-creds", "ci:wrong",
                    "docker://" + source.hostPort() + "/demo/app:1", "oci:" + temp.resolve("x") + ":1"));
            assertTrue(err.toString().contains("stevedore copy: ") && err.toString().contains("401"), err.toString());
        }
        assertEquals(1, run("copy", "ftp://example/app", "oci:" + temp.resolve("y") + ":1"));
        assertTrue(err.toString().contains("unsupported location"), err.toString());
    }
}
