package org.stevedore.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stevedore.registry.Registry;
import org.stevedore.service.GarbageCollector;
import org.stevedore.service.RegistryService;
import org.stevedore.storage.fs.FilesystemDriver;

/**
 * On a store written by docker-registry 2.8.2, Stevedore's garbage collection (the code behind
 * {@code stevedore garbage-collect}) finds the same blobs to delete, and marks the same manifests,
 * as {@code docker-registry garbage-collect --dry-run}; after Stevedore really collects, docker-registry
 * finds nothing left to delete.
 */
class GarbageCollectInteropIT {
    private static final Pattern ELIGIBLE = Pattern.compile("blob eligible for deletion: (\\S+)");
    private static final Pattern MARKED = Pattern.compile("(\\S+): marking manifest (\\S+)");
    private static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    private static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";

    @TempDir
    Path work;

    @Test
    void dryRunFindsTheSameBlobsAsDockerRegistry() throws Exception {
        Path store = work.resolve("store");
        Set<String> expectedEligible = new TreeSet<>();
        try (DistributionProcess distribution = DistributionProcess.start(store, work.resolve("distribution"))) {
            RegistryHttp http = new RegistryHttp(distribution.url());
            String shared = push(http, "gc/app", "shared base layer");
            String keptManifest = pushImage(http, "gc/app", "kept", MANIFEST, shared, "kept");
            String dropped = pushImage(http, "gc/app", "dropped", DOCKER_MANIFEST, shared, "dropped");
            pushImage(http, "gc/app", "retagged", MANIFEST, shared, "first");   // stays as an untagged revision
            pushImage(http, "gc/app", "retagged", MANIFEST, shared, "second");
            pushImage(http, "gc/other", "v1", MANIFEST, push(http, "gc/other", "shared base layer"), "other");
            expectedEligible.add(push(http, "gc/app", "orphan blob"));
            expectedEligible.add(push(http, "gc/other", "another orphan"));
            HttpResponse<byte[]> deleted = http.send(HttpRequest.newBuilder(
                    http.resolve("/v2/gc/app/manifests/" + dropped)).DELETE());
            assertEquals(202, deleted.statusCode(), distribution::log);
            expectedEligible.add(dropped);
            expectedEligible.add(Digests.sha256(utf8("{\"seed\":\"dropped\"}")));
            expectedEligible.add(Digests.sha256(utf8("own layer dropped")));
            assertFalse(keptManifest.isEmpty());
        }

        String theirs = dockerRegistryDryRun(store);
        List<String> ours = new ArrayList<>();
        GarbageCollector collector = RegistryService.over(FilesystemDriver.at(store)).garbageCollector();
        GarbageCollector.Report report = collector.run(
                new GarbageCollector.Options(true, false, Duration.ZERO), ours::add);

        Set<String> theirEligible = matches(ELIGIBLE, theirs, 1);
        Set<String> ourEligible = matches(ELIGIBLE, String.join("\n", ours), 1);
        assertEquals(expectedEligible, theirEligible, theirs);
        assertEquals(theirEligible, ourEligible, () -> String.join("\n", ours));
        assertEquals(matches(MARKED, theirs, 0), matches(MARKED, String.join("\n", ours), 0));
        assertEquals(expectedEligible.size(), report.blobsDeleted());

        collector.run(new GarbageCollector.Options(false, false, Duration.ZERO), line -> { });
        assertEquals(Set.of(), matches(ELIGIBLE, dockerRegistryDryRun(store), 1));

        // Stevedore's pushes leave its own files (lastused, the referrers index); docker-registry's
        // collector must still walk the store and agree with ours.
        try (Registry stevedore = Registry.builder().storage(FilesystemDriver.at(store)).start()) {
            RegistryHttp http = new RegistryHttp(stevedore.url());
            pushImage(http, "gc/app", "from-stevedore", MANIFEST, push(http, "gc/app", "shared base layer"), "stv");
            push(http, "gc/app", "stevedore orphan");
        }
        String afterStevedore = dockerRegistryDryRun(store);
        List<String> oursAfter = new ArrayList<>();
        collector.run(new GarbageCollector.Options(true, false, Duration.ZERO), oursAfter::add);
        assertEquals(Set.of(Digests.sha256(utf8("stevedore orphan"))), matches(ELIGIBLE, afterStevedore, 1),
                afterStevedore);
        assertEquals(matches(ELIGIBLE, afterStevedore, 1), matches(ELIGIBLE, String.join("\n", oursAfter), 1));
        assertEquals(matches(MARKED, afterStevedore, 0), matches(MARKED, String.join("\n", oursAfter), 0));
        try (DistributionProcess distribution = DistributionProcess.start(store, work.resolve("after"))) {
            RegistryHttp http = new RegistryHttp(distribution.url());
            JsonCheck.pullsCompletely(http, "gc/app", "kept");
            JsonCheck.pullsCompletely(http, "gc/app", "retagged");
            JsonCheck.pullsCompletely(http, "gc/other", "v1");
        }
    }

    private String dockerRegistryDryRun(Path store) throws Exception {
        Path config = Files.writeString(work.resolve("gc-config.yml"), String.join("\n",
                "version: 0.1", "log:", "  level: warn", "storage:", "  filesystem:",
                "    rootdirectory: " + store.toAbsolutePath(), "  delete:", "    enabled: true",
                "http:", "  addr: 127.0.0.1:0", ""));
        Processes.Result result = Processes.runOk(List.of(DistributionProcess.BINARY.toString(), "garbage-collect",
                "--dry-run", config.toString()), Map.of(), Duration.ofSeconds(60));
        return result.stdoutText() + "\n" + result.stderr();
    }

    private static Set<String> matches(Pattern pattern, String text, int group) {
        Set<String> found = new TreeSet<>();
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) found.add(group == 0 ? matcher.group(1) + " " + matcher.group(2) : matcher.group(group));
        return found;
    }

    private static String pushImage(RegistryHttp http, String name, String tag, String mediaType, String shared,
                                    String seed) throws Exception {
        byte[] config = utf8("{\"seed\":\"" + seed + "\"}");
        byte[] own = utf8("own layer " + seed);
        String configDigest = push(http, name, new String(config, StandardCharsets.UTF_8));
        String ownDigest = push(http, name, new String(own, StandardCharsets.UTF_8));
        boolean docker = mediaType.equals(DOCKER_MANIFEST);
        String configType = docker ? "application/vnd.docker.container.image.v1+json"
                : "application/vnd.oci.image.config.v1+json";
        String layerType = docker ? "application/vnd.docker.image.rootfs.diff.tar.gzip"
                : "application/vnd.oci.image.layer.v1.tar+gzip";
        byte[] manifest = utf8("{\"schemaVersion\":2,\"mediaType\":\"" + mediaType + "\",\"config\":"
                + descriptor(configType, configDigest, config.length) + ",\"layers\":["
                + descriptor(layerType, shared, "shared base layer".length()) + ","
                + descriptor(layerType, ownDigest, own.length) + "]}");
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(http.resolve("/v2/" + name + "/manifests/" + tag))
                .header("Content-Type", mediaType).PUT(BodyPublishers.ofByteArray(manifest)));
        assertEquals(201, response.statusCode(), () -> new String(response.body(), StandardCharsets.UTF_8));
        return Digests.sha256(manifest);
    }

    private static String push(RegistryHttp http, String name, String content) throws Exception {
        byte[] bytes = utf8(content);
        String digest = Digests.sha256(bytes);
        HttpResponse<byte[]> started = http.send(HttpRequest.newBuilder(http.resolve("/v2/" + name + "/blobs/uploads/"))
                .POST(BodyPublishers.noBody()));
        assertEquals(202, started.statusCode());
        String location = started.headers().firstValue("Location").orElseThrow();
        URI target = http.resolve(location + (location.contains("?") ? "&" : "?") + "digest=" + digest);
        HttpResponse<byte[]> put = http.send(HttpRequest.newBuilder(target)
                .header("Content-Type", "application/octet-stream").PUT(BodyPublishers.ofByteArray(bytes)));
        assertEquals(201, put.statusCode(), () -> new String(put.body(), StandardCharsets.UTF_8));
        return digest;
    }

    private static String descriptor(String mediaType, String digest, long size) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":" + size + "}";
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Pull checks over plain HTTP. */
    private static final class JsonCheck {
        static void pullsCompletely(RegistryHttp http, String name, String tag) throws Exception {
            byte[] manifest = http.getOk("/v2/" + name + "/manifests/" + tag, RegistryHttp.MANIFEST_TYPES);
            var root = RegistryHttp.parse(manifest);
            List<String> blobs = new ArrayList<>();
            blobs.add(root.path("config").path("digest").asText());
            root.path("layers").forEach(layer -> blobs.add(layer.path("digest").asText()));
            for (String blob : blobs) {
                assertEquals(blob, Digests.sha256(http.getOk("/v2/" + name + "/blobs/" + blob, "*/*")));
            }
            assertTrue(blobs.size() == 3);
        }
    }
}
