package org.stevedore.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tutorial with a real Docker: {@code docker login}, build, push, {@code rmi}, pull and run an
 * image against Stevedore started with the tutorial's variables, over plain HTTP and over HTTPS
 * with a self-signed CA. Docker reaches a loopback registry without {@code --insecure-registry}.
 *
 * <p>Over HTTPS Docker does not check the certificate: dockerd always counts 127.0.0.0/8 (and names
 * resolving there) as an insecure registry, for which it skips verification and never reads
 * {@code /etc/docker/certs.d}. So this test does not install the CA there; verified TLS is proven by
 * podman and skopeo ({@link TutorialPodmanIT}, {@link SkopeoTlsIT}).
 */
class TutorialDockerIT {
    private static final Pattern PUSHED_DIGEST = Pattern.compile("1: digest: (sha256:[0-9a-f]{64}) size: ");

    @TempDir
    static Path daemonWork;

    @TempDir
    Path work;

    private static DockerDaemon docker;

    @BeforeAll
    static void startDaemon() throws Exception {
        docker = DockerDaemon.start(daemonWork);
    }

    @AfterAll
    static void stopDaemon() throws Exception {
        if (docker != null) docker.close();
    }

    @Test
    void loginPushPullAndRunOverHttp() throws Exception {
        try (TutorialRegistry registry = TutorialRegistry.http(work.resolve("registry"))) {
            tutorial(registry);
        }
    }

    /** docker gets its tokens from Stevedore's built-in token server, configured by variables only. */
    @Test
    void loginPushPullAndRunWithTokensFromTheBuiltInTokenServer() throws Exception {
        try (TutorialRegistry registry = TutorialRegistry.builtInToken(work.resolve("registry"))) {
            tutorial(registry);
        }
    }

    @Test
    void loginPushPullAndRunOverSelfSignedTls() throws Exception {
        try (TutorialRegistry registry = TutorialRegistry.selfSignedTls(work.resolve("registry"))) {
            assertTrue(registry.output().contains("mkdir -p /etc/docker/certs.d/" + registry.hostPort() + " && cp "
                    + registry.caCertificate() + " /etc/docker/certs.d/" + registry.hostPort() + "/ca.crt"),
                    registry.output());
            tutorial(registry);
            // The port speaks only HTTPS, so the push that landed went over TLS.
            assertTrue(registry.output().contains("stevedore serving https://" + registry.hostPort()), registry.output());
        }
    }

    private void tutorial(TutorialRegistry registry) throws Exception {
        String image = registry.hostPort() + "/tutorial/app:1";
        TutorialImage source = TutorialImage.create(work.resolve("image"), "tutorial-base:1");
        docker.run("import", source.baseTarball().toString(), "tutorial-base:1");
        docker.run("build", "-t", image, source.context().toString());

        Processes.Result anonymous = docker.tryRun("push", image);
        assertNotEquals(0, anonymous.exitCode(), anonymous.describe());
        // Basic auth: docker has no credentials to send. Tokens: it fetched an anonymous token,
        // which grants nothing, and reports the registry's 401 as Docker Hub's "denied".
        assertTrue(anonymous.stderr().contains("no basic auth credentials")
                || anonymous.stderr().contains("denied: requested access to the resource is denied"), anonymous.describe());

        Path wrong = Files.writeString(work.resolve("wrong-password"), "not the password\n");
        Path password = Files.writeString(work.resolve("password"), TutorialRegistry.PASSWORD + "\n");
        Processes.Result badLogin = docker.tryRunWithInput(wrong.toFile(), "login", registry.hostPort(),
                "-u", TutorialRegistry.USER, "--password-stdin");
        assertNotEquals(0, badLogin.exitCode(), badLogin.describe());
        assertTrue(badLogin.stderr().contains("401 Unauthorized") || badLogin.stderr().contains("unauthorized"),
                badLogin.describe());
        Processes.Result login = docker.runWithInput(password.toFile(), "login", registry.hostPort(),
                "-u", TutorialRegistry.USER, "--password-stdin");
        assertTrue(login.stdoutText().contains("Login Succeeded"), login.describe());

        Processes.Result push = docker.run("push", image);
        Matcher pushed = PUSHED_DIGEST.matcher(push.stdoutText());
        assertTrue(pushed.find(), push.describe());
        String digest = pushed.group(1);
        assertTrue(registry.awaitOutput("PUT /v2/tutorial/app/manifests/1 201"), registry.output());

        // Both layers must come back from the registry: drop the image and its local base.
        docker.run("rmi", image, "tutorial-base:1");
        assertNotEquals(0, docker.tryRun("image", "inspect", image).exitCode(), "the image is gone before the pull");
        Processes.Result pull = docker.run("pull", image);
        assertTrue(pull.stdoutText().contains("Digest: " + digest), pull.describe());
        assertEquals("2", docker.run("image", "inspect", "--format", "{{len .RootFS.Layers}}", image)
                .stdoutText().strip());

        assertEquals(TutorialImage.MESSAGE + "\n", docker.run("run", "--rm", "--network", "none", image).stdoutText());
        assertEquals("ran in the pulled image\n", docker.run("run", "--rm", "--network", "none", image,
                "/bin/busybox", "echo", "ran in the pulled image").stdoutText());
        docker.run("rmi", image);
    }
}
