package org.stevedore.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tutorial with a real rootful podman: login, build, push, {@code rmi} and pull an image against
 * Stevedore started with the tutorial's variables, over plain HTTP ({@code --tls-verify=false}) and
 * over HTTPS with a self-signed CA and certificate verification on ({@code --cert-dir}).
 *
 * <p>The pulled image is checked through {@code podman image mount} rather than {@code podman run}:
 * on the CI machine runc cannot apply the rlimits podman asks for ("error setting rlimit type 6:
 * operation not permitted"), while the registry's part, the image round trip, is fully exercised.
 */
class TutorialPodmanIT {
    private static final String BASE = "localhost/tutorial-base:1";

    @TempDir
    Path work;

    @Test
    void loginPushAndPullOverHttp() throws Exception {
        try (TutorialRegistry registry = TutorialRegistry.http(work.resolve("registry"))) {
            tutorial(registry, List.of("--tls-verify=false"));
        }
    }

    /** podman gets its tokens from Stevedore's built-in token server, configured by variables only. */
    @Test
    void loginPushAndPullWithTokensFromTheBuiltInTokenServer() throws Exception {
        try (TutorialRegistry registry = TutorialRegistry.builtInToken(work.resolve("registry"))) {
            tutorial(registry, List.of("--tls-verify=false"));
        }
    }

    @Test
    void loginPushAndPullOverVerifiedSelfSignedTls() throws Exception {
        try (TutorialRegistry registry = TutorialRegistry.selfSignedTls(work.resolve("registry"))) {
            // The folder --tls-self-signed wrote, used as it is: it holds only ca.crt, the keys
            // are kept apart (a ca.key there made podman fail: "missing client certificate").
            Path certs = registry.caCertificate().getParent();
            assertTrue(registry.output().contains("mkdir -p /etc/containers/certs.d/" + registry.hostPort() + " && cp "
                    + registry.caCertificate() + " /etc/containers/certs.d/" + registry.hostPort() + "/ca.crt"),
                    registry.output());
            Podman untrusting = Podman.in(work.resolve("untrusting"));
            Processes.Result untrusted = untrusting.tryRun("pull", "--tls-verify=true",
                    registry.hostPort() + "/tutorial/app:1");
            assertNotEquals(0, untrusted.exitCode(), untrusted.describe());
            assertTrue(untrusted.stderr().contains("certificate signed by unknown authority"), untrusted.describe());

            tutorial(registry, List.of("--tls-verify=true", "--cert-dir=" + certs));
        }
    }

    private void tutorial(TutorialRegistry registry, List<String> tls) throws Exception {
        Podman podman = Podman.in(work.resolve("podman"));
        String image = registry.hostPort() + "/tutorial/app:1";
        String authFile = "--authfile=" + podman.authFile();
        TutorialImage source = TutorialImage.create(work.resolve("image"), BASE);
        podman.run("import", source.baseTarball().toString(), BASE);
        podman.run("build", "--network", "none", "-t", image, source.context().toString());

        assertRefused(podman.tryRun(with(List.of("push", authFile), tls, image)), "push without login");
        Path wrong = Files.writeString(work.resolve("wrong-password"), "not the password\n");
        assertRefused(podman.tryRunWithInput(wrong.toFile(), with(List.of("login", authFile), tls,
                "-u", TutorialRegistry.USER, "--password-stdin", registry.hostPort())), "login with a wrong password");
        Path password = Files.writeString(work.resolve("password"), TutorialRegistry.PASSWORD + "\n");
        Processes.Result login = podman.tryRunWithInput(password.toFile(), with(List.of("login", authFile), tls,
                "-u", TutorialRegistry.USER, "--password-stdin", registry.hostPort()));
        assertEquals(0, login.exitCode(), login.describe());
        assertTrue(login.stdoutText().contains("Login Succeeded!"), login.describe());

        Path digestFile = work.resolve("pushed.digest");
        podman.run(with(List.of("push", authFile, "--digestfile=" + digestFile), tls, image));
        String digest = Files.readString(digestFile).strip();
        assertTrue(digest.matches("sha256:[0-9a-f]{64}"), digest);
        assertTrue(registry.awaitOutput("PUT /v2/tutorial/app/manifests/1 201"), registry.output());

        // Both layers must come back from the registry: drop the image and its local base.
        podman.run("rmi", image, BASE);
        assertNotEquals(0, podman.tryRun("image", "exists", image).exitCode(), "the image is gone before the pull");
        podman.run(with(List.of("pull", authFile), tls, image));
        assertEquals(digest, podman.run("image", "inspect", "--format", "{{.Digest}}", image).stdoutText().strip());
        assertEquals("2", podman.run("image", "inspect", "--format", "{{len .RootFS.Layers}}", image)
                .stdoutText().strip());

        Path mounted = Path.of(podman.run("image", "mount", image).stdoutText().strip());
        try {
            assertEquals(TutorialImage.MESSAGE + "\n", Files.readString(mounted.resolve("message.txt")));
            assertTrue(Files.isExecutable(mounted.resolve("bin/busybox")), "the base layer came back too");
        } finally {
            podman.run("image", "unmount", image);
        }
        podman.run("rmi", image);
    }

    private static String[] with(List<String> head, List<String> tls, String... tail) {
        List<String> arguments = new ArrayList<>(head);
        arguments.addAll(tls);
        arguments.addAll(List.of(tail));
        return arguments.toArray(String[]::new);
    }

    /** Failed for the right reason: the registry said no, not a network or TLS error. */
    private static void assertRefused(Processes.Result result, String what) {
        assertNotEquals(0, result.exitCode(), what + " must fail");
        String error = result.stderr().toLowerCase(Locale.ROOT);
        // With tokens, podman gets an anonymous token that grants nothing and reports the 401 as denied.
        assertTrue(error.contains("unauthorized") || error.contains("authentication required")
                        || error.contains("invalid username/password")
                        || error.contains("requested access to the resource is denied"),
                what + ": " + result.describe());
    }
}
