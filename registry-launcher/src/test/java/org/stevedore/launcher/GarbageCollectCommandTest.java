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
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stevedore.registry.Registry;
import org.stevedore.storage.fs.FilesystemDriver;
import picocli.CommandLine;

/** {@code stevedore garbage-collect}: command form, dry run, deletion, summary, config parsing. */
class GarbageCollectCommandTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    @TempDir
    Path root;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine commandLine = Main.commandLine((options, printer) -> 0);
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
        assertTrue(out.toString().contains("Dry run, nothing deleted: 1 manifests kept, 0 deleted; 3 blobs kept, 1 deleted"),
                out.toString());
        assertTrue(Files.exists(blobData(orphan)));

        Path config = root.resolve("config.yml");
        Files.writeString(config, "version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: " + root + "\n"
                + "http:\n  addr: :5000\n");
        assertEquals(0, run("garbage-collect", config.toString()), err.toString());
        assertFalse(Files.exists(blobData(orphan)));
        assertTrue(Files.exists(blobData(kept)));
        assertTrue(out.toString().contains("Done: 1 manifests kept, 0 deleted; 3 blobs kept, 1 deleted; 6 bytes freed"),
                out.toString());
    }

    @Test
    void withoutConfigOrRootItIsAUsageError() {
        assertEquals(2, run("garbage-collect", "--dry-run"));
        assertTrue(err.toString().contains("Missing CONFIG or --root DIR"), err.toString());
    }

    @Test
    void aMissingRootFailsWithAReason() {
        assertEquals(1, run("garbage-collect", "--root", root.resolve("absent").toString()));
        assertTrue(err.toString().contains("is not a directory"), err.toString());
    }

    @Test
    void rootDirectoryIsReadFromDistributionConfigs() {
        assertEquals(Optional.of(Path.of("/var/lib/registry")), GarbageCollectCommand.rootDirectory(
                "version: 0.1\nlog:\n  level: info\nstorage:\n  cache:\n    blobdescriptor: inmemory\n"
                        + "  filesystem:\n    rootdirectory: /var/lib/registry\n  delete:\n    enabled: true\n"));
        assertEquals(Optional.of(Path.of("/srv/x")),
                GarbageCollectCommand.rootDirectory("storage:\n  filesystem:\n    rootdirectory: \"/srv/x\" # quoted\n"));
        assertEquals(Optional.empty(), GarbageCollectCommand.rootDirectory("storage:\n  inmemory: {}\n"));
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
