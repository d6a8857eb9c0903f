package org.stevedore.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.stevedore.registry.Registry;
import org.stevedore.storage.fs.FilesystemDriver;
import picocli.CommandLine;

/** {@code stevedore garbage-collect}: command form, dry run, deletion, report, configuration, the serving lock. */
class GarbageCollectCommandTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    @TempDir
    Path root;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @RegisterExtension
    final InProcessServe serve = new InProcessServe();

    private int run(String... args) {
        return run(Map.of(), args);
    }

    private int run(Map<String, String> env, String... args) {
        CommandLine commandLine = Main.commandLine((options, printer) -> 0, env);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @Test
    void dryRunListsTheOrphanAndDeletesNothingThenARealRunDeletesIt() throws Exception {
        String kept;
        String orphan;
        try (Registry registry = Registry.builder().storage(FilesystemDriver.at(root)).start()) {
            kept = pushBlob(registry, "gc/app", "kept layer");
            orphan = pushBlob(registry, "gc/app", "orphan");
            String config = pushBlob(registry, "gc/app", "{}");
            String manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                    + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + config
                    + "\",\"size\":2},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\""
                    + kept + "\",\"size\":10}]}";
            HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(
                    URI.create(registry.url() + "/v2/gc/app/manifests/v1"))
                    .header("Content-Type", "application/vnd.oci.image.manifest.v1+json")
                    .PUT(HttpRequest.BodyPublishers.ofString(manifest)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(201, put.statusCode(), put.body());
        }

        assertEquals(0, run("garbage-collect", "--dry-run", "--root", root.toString()), err.toString());
        assertTrue(out.toString().contains("blob eligible for deletion: " + orphan), out.toString());
        assertFalse(out.toString().contains("blob eligible for deletion: " + kept), out.toString());
        assertTrue(out.toString().contains("gc/app: marking blob " + kept), out.toString());
        assertTrue(out.toString().contains("Dry run, nothing deleted: would delete 0 manifests and 1 blob (6 B),"
                + " kept 1 manifest and 3 blobs"), out.toString());
        assertTrue(Files.exists(blobData(orphan)));

        Path config = root.resolve("config.yml");
        Files.writeString(config, "version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: " + root + "\n"
                + "http:\n  addr: :5000\n");
        assertEquals(0, run("garbage-collect", config.toString()), err.toString());
        assertFalse(Files.exists(blobData(orphan)));
        assertTrue(Files.exists(blobData(kept)));
        assertTrue(out.toString().contains("Done: deleted 0 manifests and 1 blob (6 B), kept 1 manifest and 3 blobs"),
                out.toString());
    }

    @Test
    void aMissingRootOrAFileFailsWithAPlainReason() throws Exception {
        assertEquals(1, run("garbage-collect", "--root", root.resolve("absent").toString()));
        assertTrue(err.toString().contains("storage root " + root.resolve("absent") + " not found"), err.toString());
        Path file = Files.writeString(root.resolve("file"), "x");
        assertEquals(1, run("garbage-collect", "--root", file.toString()));
        assertTrue(err.toString().contains("storage root " + file + " is a file, not a directory"), err.toString());
    }

    /** Issue 16 item 10: the file, then REGISTRY_*, then --root, exactly as serve reads them. */
    @Test
    void readsTheConfigurationAsServeDoes() throws Exception {
        Path fromFile = Files.createDirectory(root.resolve("from-file"));
        Path fromEnv = Files.createDirectory(root.resolve("from-env"));
        Path config = Files.writeString(root.resolve("config.yml"),
                "version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: " + fromFile + "\n  delete:\n    enable: true\n");
        Path tmp = Files.writeString(fromEnv.resolve(".tmp-only-here"), "x");
        assertEquals(0, run(Map.of("REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY", fromEnv.toString()),
                "garbage-collect", "--dry-run", config.toString()), err.toString());
        assertTrue(out.toString().contains("1 hidden temporary file"), "cleaned " + fromEnv + ": " + out);
        assertTrue(err.toString().contains("warning: storage.delete.enable is not a known key; did you mean"
                + " storage.delete.enabled?"), err.toString());
        Files.delete(tmp);

        out.getBuffer().setLength(0);
        assertEquals(0, run(Map.of("REGISTRY_CONFIGURATION_PATH", config.toString()), "garbage-collect", "--dry-run"),
                err.toString());
        assertTrue(out.toString().contains("Dry run, nothing deleted"), out.toString());

        Path bare = Files.writeString(root.resolve("bare.yml"), "version: 0.1\nstorage:\n  filesystem:\n");
        int code = run("garbage-collect", "--dry-run", bare.toString());
        if (code != 0) {
            assertTrue(err.toString().contains("storage root /var/lib/registry "), err.toString());
        } else {
            assertTrue(Files.isDirectory(Path.of("/var/lib/registry")), "a bare filesystem: is /var/lib/registry");
        }
    }

    @Test
    void s3AndInMemoryConfigurationsPointToOnlineCollection() throws Exception {
        Path s3 = Files.writeString(root.resolve("s3.yml"), "version: 0.1\nstorage:\n  s3:\n    bucket: b\n"
                + "    region: us-east-1\n");
        assertEquals(1, run("garbage-collect", s3.toString()));
        assertTrue(err.toString().contains("offline garbage-collect works on filesystem storage only, and this"
                + " configuration uses S3 storage; let the server collect online instead:"
                + " storage.maintenance.gc.enabled: true"), err.toString());
        assertEquals(1, run(Map.of("REGISTRY_STORAGE", "inmemory"), "garbage-collect"));
        assertTrue(err.toString().contains("uses in-memory storage"), err.toString());
    }

    /**
     * Issue 16 item 9: a blob uploaded to a serving registry survives a garbage-collect attempt,
     * which refuses, so the manifest PUT that follows succeeds; --force runs (and deletes the blob).
     */
    @Test
    void refusesWhileARegistryServesTheRootSoAPushInFlightKeepsItsBlobs() throws Exception {
        Registry registry = serve.start(Map.of(), "--addr", "127.0.0.1:0", "--root", root.toString());
        String config = pushBlob(registry, "gc/app", "{}");
        String layer = pushBlob(registry, "gc/app", "layer in flight");

        assertEquals(1, run("garbage-collect", "--root", root.toString()));
        assertTrue(err.toString().contains("a registry is serving " + root.toAbsolutePath().normalize()), err.toString());
        assertTrue(err.toString().contains("storage.maintenance.gc"), err.toString());
        assertTrue(Files.exists(blobData(layer)));
        assertEquals(201, putManifest(registry, config, layer).statusCode());

        String orphan = pushBlob(registry, "gc/app", "orphan");
        assertEquals(0, run("garbage-collect", "--force", "--root", root.toString()), err.toString());
        assertTrue(err.toString().contains("warning: --force: collecting while a registry serves"), err.toString());
        assertFalse(Files.exists(blobData(orphan)));
        assertTrue(Files.exists(blobData(layer)));

        registry.close();
        out.getBuffer().setLength(0);
        assertEquals(0, run("garbage-collect", "--dry-run", "--root", root.toString()), err.toString());
    }

    /** A read-only registry writes nothing, so collecting beside it is what distribution documents. */
    @Test
    void runsBesideAReadOnlyRegistry() throws Exception {
        serve.start(Map.of("REGISTRY_STORAGE_MAINTENANCE_READONLY_ENABLED", "true"),
                "--addr", "127.0.0.1:0", "--root", root.toString());
        assertEquals(0, run("garbage-collect", "--dry-run", "--root", root.toString()), err.toString());
        assertTrue(out.toString().contains("Dry run, nothing deleted: would delete 0 manifests and 0 blobs (0 B)"),
                out.toString());
    }

    /** Issue 16 item 11: what is left to reclaim, with ages and sizes people read. */
    @Test
    void reportsAbandonedUploadsAndHiddenTemporaryFiles() throws Exception {
        String session;
        try (Registry registry = Registry.builder().storage(FilesystemDriver.at(root)).start()) {
            HttpResponse<String> started = HTTP.send(HttpRequest.newBuilder(
                    URI.create(registry.url() + "/v2/gc/app/blobs/uploads/")).POST(HttpRequest.BodyPublishers.noBody())
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(202, started.statusCode(), started.body());
            String location = started.headers().firstValue("Location").orElseThrow();
            session = started.headers().firstValue("Docker-Upload-UUID").orElseThrow();
            HttpResponse<String> patch = HTTP.send(HttpRequest.newBuilder(URI.create(registry.url() + location))
                    .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(new byte[3 * 1024 * 1024]))
                    .header("Content-Type", "application/octet-stream").build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(202, patch.statusCode(), patch.body());
        }
        Path startedAt = root.resolve("docker/registry/v2/repositories/gc/app/_uploads/" + session + "/startedat");
        Files.writeString(startedAt, java.time.OffsetDateTime.now().minusHours(50).toString());
        Path temp = Files.write(root.resolve("docker/registry/v2/.tmp-killed"), new byte[2048]);
        Files.setLastModifiedTime(temp, java.nio.file.attribute.FileTime.from(
                java.time.Instant.now().minus(java.time.Duration.ofMinutes(5))));

        assertEquals(0, run("garbage-collect", "--dry-run", "--root", root.toString()), err.toString());
        String report = out.toString();
        assertTrue(report.contains("1 upload session not finished (not collected; upload purging removes those older"
                + " than 168h):"), report);
        assertTrue(report.contains("  gc/app " + session + ": started 2d 2h ago, 3.0 MiB"), report);
        assertTrue(report.contains("1 hidden temporary file (.tmp-*, left by interrupted writes), 2.0 KiB: 0 older"
                + " than an hour"), report);
        assertTrue(Files.exists(temp));
    }

    private HttpResponse<String> putManifest(Registry registry, String config, String layer) throws Exception {
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + config
                + "\",\"size\":2},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\""
                + layer + "\",\"size\":15}]}";
        return HTTP.send(HttpRequest.newBuilder(URI.create(registry.url() + "/v2/gc/app/manifests/v1"))
                .header("Content-Type", "application/vnd.oci.image.manifest.v1+json")
                .PUT(HttpRequest.BodyPublishers.ofString(manifest)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private Path blobData(String digest) {
        String hex = digest.substring("sha256:".length());
        return root.resolve("docker/registry/v2/blobs/sha256/" + hex.substring(0, 2) + "/" + hex + "/data");
    }

    private static String pushBlob(Registry registry, String name, String content) throws Exception {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        String digest = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                URI.create(registry.url() + "/v2/" + name + "/blobs/uploads/?digest=" + digest))
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, response.statusCode(), response.body());
        return digest;
    }
}
