package org.stevedore.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container image from {@code scripts/build-image}, used the way registry:2's tutorial uses
 * registry:2, with only the image name swapped: loaded into a real Docker, run with the htpasswd
 * variables and /auth mounted, logged in to, pushed to, pulled from by digest; {@code docker stop}
 * ends it with 0 within the drain time and a new container on the same volume serves the same
 * image. podman loads and runs the same archive. The test daemon has no bridge, so containers use
 * the host's network and a free port instead of {@code -p 5000:5000}.
 */
class ContainerImageIT {
    private static final String VERSION = System.getProperty("stevedore.version", "0.1.0-SNAPSHOT");
    private static final Pattern PUSHED_DIGEST = Pattern.compile("1: digest: (sha256:[0-9a-f]{64}) size: ");
    /** http.draintimeout's default: docker stop must be done well within it. */
    private static final Duration DRAIN = Duration.ofSeconds(10);

    @TempDir
    static Path work;
    private static Path imageArchive;
    private static DockerDaemon docker;

    @BeforeAll
    static void buildImageAndStartDaemon() throws Exception {
        DistributionArchive.archive(); // built by registry-dist, which build-image starts from
        Path repository = Path.of(System.getProperty("stevedore.repository", "..")).toAbsolutePath().normalize();
        Processes.runOk(List.of(repository.resolve("scripts/build-image").toString(), "--no-load"), Map.of(),
                Duration.ofMinutes(10));
        imageArchive = repository.resolve("registry-dist/target/stevedore-image.tar");
        docker = DockerDaemon.start(work.resolve("dockerd"));
    }

    @AfterAll
    static void stopDaemon() throws Exception {
        if (docker != null) docker.close();
    }

    @Test
    void tutorialWithTheImageNameSwapped() throws Exception {
        String loaded = docker.run("load", "-i", imageArchive.toString()).stdoutText();
        assertTrue(loaded.contains("stevedore:" + VERSION) && loaded.contains("stevedore:latest"), loaded);
        String labels = docker.run("image", "inspect", "--format", "{{json .Config.Labels}} {{.Config.User}} "
                + "{{json .Config.ExposedPorts}} {{json .Config.Volumes}}", "stevedore:latest").stdoutText();
        for (String expected : List.of("\"org.opencontainers.image.version\":\"" + VERSION + "\"",
                "\"org.opencontainers.image.licenses\":\"Apache-2.0\"", "org.opencontainers.image.revision",
                " 1000:1000 ", "\"5000/tcp\"", "\"/var/lib/registry\"")) {
            assertTrue(labels.contains(expected), expected + " in " + labels);
        }

        // The tutorial's htpasswd file, made with the image's own `stevedore htpasswd`.
        Path auth = Files.createDirectories(work.resolve("auth"));
        Files.setPosixFilePermissions(auth, PosixFilePermissions.fromString("rwxr-xr-x"));
        byte[] line = docker.run("run", "--rm", "--network", "none", "stevedore:latest",
                "htpasswd", "-Bbn", TutorialRegistry.USER, TutorialRegistry.PASSWORD).stdout();
        Files.write(auth.resolve("htpasswd"), line);
        docker.run("volume", "create", "registry-data");

        int port = FreePorts.find();
        String host = "127.0.0.1:" + port;
        startRegistry("registry", auth, port);
        // The JVM in the container maps the class-data archive build-image made (a jar whose
        // recorded time changed would make the JVM refuse it, silently).
        String pid = docker.run("inspect", "--format", "{{.State.Pid}}", "registry").stdoutText().strip();
        String maps = Files.readString(Path.of("/proc", pid, "maps"));
        assertTrue(maps.contains("/opt/stevedore/lib/stevedore-java"), "the class-data archive is mapped");
        Path password = Files.writeString(work.resolve("password"), TutorialRegistry.PASSWORD + "\n");
        docker.runWithInput(password.toFile(), "login", host, "-u", TutorialRegistry.USER, "--password-stdin");

        String image = host + "/tutorial/app:1";
        TutorialImage source = TutorialImage.create(work.resolve("image"), "tutorial-base:1");
        docker.run("import", source.baseTarball().toString(), "tutorial-base:1");
        docker.run("build", "-t", image, source.context().toString());
        Matcher pushed = PUSHED_DIGEST.matcher(docker.run("push", image).stdoutText());
        assertTrue(pushed.find(), "push printed a digest");
        String byDigest = host + "/tutorial/app@" + pushed.group(1);
        docker.run("rmi", image, "tutorial-base:1");
        docker.run("pull", byDigest);
        assertEquals(TutorialImage.MESSAGE + "\n", docker.run("run", "--rm", "--network", "none", byDigest).stdoutText());

        long start = System.nanoTime();
        docker.run("stop", "--time", String.valueOf(DRAIN.toSeconds() + 5), "registry");
        Duration stopping = Duration.ofNanos(System.nanoTime() - start);
        assertEquals("0", docker.run("inspect", "--format", "{{.State.ExitCode}}", "registry").stdoutText().strip(),
                docker.run("logs", "registry").stderr());
        assertTrue(stopping.compareTo(DRAIN) < 0, "docker stop took " + stopping.toMillis() + " ms");

        // A new container on the same volume serves what the first one stored.
        startRegistry("registry-2", auth, port);
        docker.run("rmi", byDigest);
        docker.run("pull", byDigest);
        assertEquals(TutorialImage.MESSAGE + "\n", docker.run("run", "--rm", "--network", "none", byDigest).stdoutText());
        docker.run("stop", "registry-2");
        assertEquals("0", docker.run("inspect", "--format", "{{.State.ExitCode}}", "registry-2").stdoutText().strip());
    }

    @Test
    void podmanLoadsAndRunsTheSameArchive() throws Exception {
        Podman podman = Podman.in(work.resolve("podman"));
        String loaded = podman.run("load", "-i", imageArchive.toString()).stdoutText();
        assertTrue(loaded.contains("stevedore:" + VERSION), loaded);
        int port = FreePorts.find();
        podman.run("run", "-d", "--name", "registry", "--runtime", "runc", "--ulimit", "nofile=1024:1024",
                "--ulimit", "nproc=1024:1024", "--network", "host", "-e", "REGISTRY_HTTP_ADDR=127.0.0.1:" + port,
                "stevedore:latest");
        awaitStatus(URI.create("http://127.0.0.1:" + port + "/v2/"), 200, () -> podman.tryRun("logs", "registry").describe());
        podman.run("stop", "--time", "15", "registry");
        assertEquals("0", podman.run("inspect", "--format", "{{.State.ExitCode}}", "registry").stdoutText().strip());
        podman.run("rm", "registry");
    }

    /** {@code docker run -d} with the tutorial's variables, on the host network at {@code port}. */
    private static void startRegistry(String name, Path auth, int port) throws Exception {
        docker.run("run", "-d", "--name", name, "--network", "host",
                "-v", auth + ":/auth", "-v", "registry-data:/var/lib/registry",
                "-e", "REGISTRY_HTTP_ADDR=127.0.0.1:" + port,
                "-e", "REGISTRY_AUTH=htpasswd", "-e", "REGISTRY_AUTH_HTPASSWD_REALM=Registry Realm",
                "-e", "REGISTRY_AUTH_HTPASSWD_PATH=/auth/htpasswd", "stevedore:latest");
        awaitStatus(URI.create("http://127.0.0.1:" + port + "/v2/"), 401,
                () -> docker.tryRun("logs", name).describe());
    }

    private static void awaitStatus(URI url, int status, Logs logs) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (DistributionArchive.statusOf(url) == status) return;
            Thread.sleep(100);
        }
        throw new AssertionError(url + " did not answer " + status + " in time:\n" + logs.describe());
    }

    private interface Logs {
        String describe() throws Exception;
    }
}
