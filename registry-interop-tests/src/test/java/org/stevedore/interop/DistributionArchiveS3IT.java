package org.stevedore.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.stevedore.model.RepositoryName;
import org.stevedore.model.Tag;
import org.stevedore.storage.layout.StorageLayout;
import org.stevedore.storage.s3.S3Driver;
import org.stevedore.storage.s3.S3ProxyExtension;

/**
 * The unpacked archive's {@code bin/stevedore serve CONFIG} with {@code storage.s3} (S3Proxy): the S3
 * driver and the AWS SDK are not in {@code lib/stevedore.jar} but in {@code lib/s3/}, loaded only
 * because the configuration names S3. skopeo pushes and pulls, the tag lands in the bucket, SIGTERM
 * ends it with 0; the second start makes the class-data archive from the classes the first recorded
 * (the S3 ones came from a class loader of their own), maps it, and still serves the image.
 */
class DistributionArchiveS3IT {
    private static final String JAVA_HOME = System.getProperty("java.home");

    @RegisterExtension
    static final S3ProxyExtension S3 = new S3ProxyExtension();

    @TempDir
    Path work;

    @Test
    void packagedLauncherServesFromS3WithTheDriverLoadedFromLibS3() throws Exception {
        DistributionArchive dist = DistributionArchive.unpack(work.resolve("opt"));
        Path s3Driver = dist.home().resolve("lib/s3/registry-storage-s3-" + System.getProperty("stevedore.version") + ".jar");
        assertTrue(Files.isRegularFile(s3Driver), "the archive ships the S3 driver in lib/s3/");
        assertFalse(DistributionArchive.hasEntry(dist.home().resolve("lib/stevedore.jar"),
                "org/stevedore/storage/s3/S3Driver.class"), "lib/stevedore.jar leaves the S3 driver out");

        int port = FreePorts.find();
        Map<String, Object> parameters = S3.parameters(Map.of());
        Path config = writeConfig(parameters, port);
        URI v2 = URI.create("http://127.0.0.1:" + port + "/v2/");
        Map<String, String> environment = Map.of("JAVA_HOME", JAVA_HOME);

        Path firstLog = work.resolve("first.log");
        Process first = dist.start(environment, firstLog, "serve", config.toString());
        DistributionArchive.awaitStatus(first, v2, 200, firstLog);
        assertTrue(DistributionArchive.openFiles(first).contains(s3Driver),
                "the server opened " + s3Driver + ": " + DistributionArchive.openFiles(first));
        Skopeo skopeo = Skopeo.in(work.resolve("skopeo"));
        OciImage image = OciLayoutWriter.write(work.resolve("source"), "v1", 2, 18);
        String remote = "docker://127.0.0.1:" + port + "/dist/s3app:v1";
        skopeo.copy("oci:" + work.resolve("source") + ":v1", remote, "--preserve-digests", "--dest-tls-verify=false");
        stopWithSigterm(first, firstLog);

        try (S3Driver bucket = S3Driver.create(S3.settingsWith(Map.of("rootdirectory", parameters.get("rootdirectory"))))) {
            String tagLink = StorageLayout.tagCurrentLink(RepositoryName.of("dist/s3app"), new Tag("v1"));
            assertEquals(image.manifestDigest(), new String(bucket.readSmall(tagLink, 1024), StandardCharsets.UTF_8),
                    "the tag is in the bucket");
        }

        // Second start: the class-data archive (Java 25: the AOT cache) is made from the record and mapped.
        Path secondLog = work.resolve("second.log");
        Process second = dist.start(environment, secondLog, "serve", config.toString());
        DistributionArchive.awaitStatus(second, v2, 200, secondLog, Duration.ofMinutes(3));
        List<Path> written = DistributionArchive.filesIn(dist.home().resolve("lib"), JavaRuntime.current().cacheGlob());
        assertEquals(1, written.size(), "the second start wrote one class-data archive (or AOT cache): " + written
                + "\n" + Files.readString(secondLog));
        assertTrue(Files.readString(Path.of("/proc/" + second.pid() + "/maps")).contains(written.get(0).toString()),
                "the JVM maps " + written.get(0));
        Path copy = work.resolve("copy");
        skopeo.copy(remote, "oci:" + copy + ":v1", "--src-tls-verify=false");
        image.assertSameAs(OciLayoutReader.read(copy, "v1"));
        stopWithSigterm(second, secondLog);
    }

    /** distribution's config.yml, written as JSON (which YAML reads as it is). */
    private Path writeConfig(Map<String, Object> s3, int port) throws Exception {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("version", "0.1");
        config.put("storage", Map.of("s3", s3));
        config.put("http", Map.of("addr", "127.0.0.1:" + port));
        Path file = work.resolve("config.yml");
        new ObjectMapper().writeValue(file.toFile(), config);
        return file;
    }

    private static void stopWithSigterm(Process server, Path log) throws Exception {
        server.destroy(); // SIGTERM
        assertTrue(server.waitFor(30, TimeUnit.SECONDS), "stopped within 30 s");
        assertEquals(0, server.exitValue(), Files.readString(log));
    }
}
