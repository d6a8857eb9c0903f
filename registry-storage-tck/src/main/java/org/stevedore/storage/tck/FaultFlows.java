package org.stevedore.storage.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * The client side of {@link StorageFaultContract}: pushes, mounts, manifest and tag updates, pulls,
 * listings and deletions through {@link CheckedCalls}, remembering what the registry acknowledged.
 * A step that failed is not continued (a real client would start over); whatever it may have left
 * is the audit's business. Acknowledged means certain: a deletion or tag move that failed makes
 * its objects uncertain, and they are no longer expected either way.
 */
final class FaultFlows {
    private static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";

    private final CheckedCalls calls;
    private final Random random;
    private final String repoA;
    private final String repoB;
    /** repository → digest → bytes, for blobs and for manifests; repository → tag → digest. */
    private final Map<String, Map<String, byte[]>> blobs = new LinkedHashMap<>();
    private final Map<String, Map<String, byte[]>> manifests = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> tags = new LinkedHashMap<>();

    FaultFlows(CheckedCalls calls, long seed) {
        this.calls = calls;
        this.random = new Random(seed);
        this.repoA = "faults/app" + seed;
        this.repoB = "faults/copy" + seed;
        for (String repo : List.of(repoA, repoB)) {
            blobs.put(repo, new LinkedHashMap<>());
            manifests.put(repo, new LinkedHashMap<>());
            tags.put(repo, new LinkedHashMap<>());
        }
    }

    long acknowledged() {
        return blobs.values().stream().mapToLong(Map::size).sum() + manifests.values().stream().mapToLong(Map::size).sum()
                + tags.values().stream().mapToLong(Map::size).sum();
    }

    void run() {
        for (int round = 0; round < 3; round++) {
            byte[] config = ("{\"round\":" + round + ",\"nonce\":" + random.nextLong() + "}").getBytes(StandardCharsets.UTF_8);
            Optional<String> c = pushMonolithic(repoA, config);
            List<String> layers = new ArrayList<>();
            pushChunked(repoA, bytes()).ifPresent(layers::add);
            pushStreamed(repoA, bytes()).ifPresent(layers::add);
            pushSinglePut(repoA, bytes()).ifPresent(layers::add);
            pushMonolithic(repoA, bytes()).ifPresent(extra -> delete(repoA, "/blobs/" + extra, blobs.get(repoA), extra));
            if (c.isEmpty()) continue;
            String tag = "v" + round;
            Optional<String> m1 = putManifest(repoA, tag, manifest(c.get(), layers));
            if (m1.isPresent()) pullManifest(repoA, tag);
            for (String layer : layers) pullBlob(repoA, layer);
            boolean mounted = mount(repoB, c.get());
            for (String layer : layers) mounted &= mount(repoB, layer);
            if (mounted && m1.isPresent()) putManifest(repoB, m1.get(), manifests.get(repoA).get(m1.get()));
            listTags(repoA);
            Optional<String> m2 = putManifest(repoA, "latest", manifest(c.get(), layers.subList(0, Math.min(1, layers.size()))));
            m2.ifPresent(m -> pullManifest(repoA, "latest"));
            if (m1.isPresent() && round != 1) deleteManifest(repoA, m1.get());
            if (m2.isPresent() && round == 1) delete(repoA, "/manifests/latest", tags.get(repoA), "latest");
        }
    }

    private byte[] bytes() {
        byte[] bytes = new byte[1 + random.nextInt(48 * 1024)];
        random.nextBytes(bytes);
        return bytes;
    }

    private Optional<String> pushMonolithic(String repo, byte[] bytes) {
        String digest = sha256(bytes);
        return calls.send(calls.request("/v2/" + repo + "/blobs/uploads/?digest=" + digest)
                        .header("Content-Type", "application/octet-stream")
                        .POST(BodyPublishers.ofByteArray(bytes)), false, 201)
                .map(r -> acknowledgeBlob(repo, digest, bytes));
    }

    private Optional<String> pushChunked(String repo, byte[] bytes) {
        String digest = sha256(bytes);
        int split = bytes.length / 2;
        Optional<String> location = startUpload(repo);
        if (location.isEmpty()) return Optional.empty();
        Optional<HttpResponse<byte[]>> first = patch(location.get(), Arrays.copyOfRange(bytes, 0, split), 0);
        if (first.isEmpty()) return Optional.empty();
        Optional<HttpResponse<byte[]>> second = patch(calls.location(first.get()), Arrays.copyOfRange(bytes, split, bytes.length), split);
        if (second.isEmpty()) return Optional.empty();
        return calls.send(calls.request(CheckedCalls.withQuery(calls.location(second.get()), "digest=" + digest))
                .PUT(BodyPublishers.noBody()), false, 201).map(r -> acknowledgeBlob(repo, digest, bytes));
    }

    private Optional<String> pushStreamed(String repo, byte[] bytes) {
        String digest = sha256(bytes);
        Optional<String> location = startUpload(repo);
        if (location.isEmpty()) return Optional.empty();
        // No length: HttpClient sends the body chunked, as docker does for a streamed layer.
        Optional<HttpResponse<byte[]>> patched = calls.send(calls.request(location.get())
                .header("Content-Type", "application/octet-stream")
                .method("PATCH", BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes))), false, 202);
        if (patched.isEmpty()) return Optional.empty();
        return calls.send(calls.request(CheckedCalls.withQuery(calls.location(patched.get()), "digest=" + digest))
                .PUT(BodyPublishers.noBody()), false, 201).map(r -> acknowledgeBlob(repo, digest, bytes));
    }

    private Optional<String> pushSinglePut(String repo, byte[] bytes) {
        String digest = sha256(bytes);
        Optional<String> location = startUpload(repo);
        if (location.isEmpty()) return Optional.empty();
        return calls.send(calls.request(CheckedCalls.withQuery(location.get(), "digest=" + digest))
                .header("Content-Type", "application/octet-stream")
                .PUT(BodyPublishers.ofByteArray(bytes)), false, 201).map(r -> acknowledgeBlob(repo, digest, bytes));
    }

    private Optional<String> startUpload(String repo) {
        return calls.send(calls.request("/v2/" + repo + "/blobs/uploads/").POST(BodyPublishers.noBody()), false, 202)
                .map(calls::location);
    }

    private Optional<HttpResponse<byte[]>> patch(String location, byte[] chunk, long start) {
        return calls.send(calls.request(location)
                .header("Content-Type", "application/octet-stream")
                .header("Content-Range", start + "-" + (start + chunk.length - 1))
                .method("PATCH", BodyPublishers.ofByteArray(chunk)), false, 202);
    }

    private String acknowledgeBlob(String repo, String digest, byte[] bytes) {
        blobs.get(repo).put(digest, bytes);
        return digest;
    }

    private boolean mount(String target, String digest) {
        boolean mounted = calls.send(calls.request("/v2/" + target + "/blobs/uploads/?mount=" + digest + "&from=" + repoA)
                .POST(BodyPublishers.noBody()), false, 201).isPresent();
        if (mounted) blobs.get(target).put(digest, blobs.get(repoA).get(digest));
        return mounted;
    }

    private byte[] manifest(String config, List<String> layers) {
        StringBuilder json = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"" + MANIFEST + "\",\"config\":"
                + descriptor("application/vnd.oci.image.config.v1+json", config) + ",\"layers\":[");
        for (int i = 0; i < layers.size(); i++) {
            json.append(i == 0 ? "" : ",").append(descriptor("application/vnd.oci.image.layer.v1.tar+gzip", layers.get(i)));
        }
        return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    private String descriptor(String mediaType, String digest) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":" + blobs.get(repoA).get(digest).length + "}";
    }

    /** PUTs a manifest by tag or digest; returns its digest when acknowledged. */
    private Optional<String> putManifest(String repo, String reference, byte[] bytes) {
        String digest = sha256(bytes);
        boolean tag = !reference.startsWith("sha256:");
        Optional<HttpResponse<byte[]>> put = calls.send(calls.request("/v2/" + repo + "/manifests/" + reference)
                .header("Content-Type", MANIFEST).PUT(BodyPublishers.ofByteArray(bytes)), false, 201);
        if (put.isEmpty()) {
            if (tag) tags.get(repo).remove(reference); // may point at the old or the new manifest now
            return Optional.empty();
        }
        manifests.get(repo).put(digest, bytes);
        if (tag) tags.get(repo).put(reference, digest);
        return Optional.of(digest);
    }

    private void pullManifest(String repo, String reference) {
        calls.send(calls.request("/v2/" + repo + "/manifests/" + reference).header("Accept", MANIFEST).GET(), false, 200)
                .ifPresent(r -> checkManifestAnswer(calls.violations, repo, reference, r));
    }

    private void checkManifestAnswer(List<String> problems, String repo, String reference, HttpResponse<byte[]> r) {
        String expected = reference.startsWith("sha256:") ? reference : tags.get(repo).get(reference);
        String actual = sha256(r.body());
        if (!actual.equals(r.headers().firstValue("Docker-Content-Digest").orElse(""))) {
            problems.add(repo + ":" + reference + ": body hashes to " + actual + ", not its Docker-Content-Digest");
        }
        if (expected != null && !expected.equals(actual)) problems.add(repo + ":" + reference + ": is " + actual + ", not " + expected);
    }

    private void pullBlob(String repo, String digest) {
        for (int i = 0; i < 3; i++) pullBlobOnce(repo, digest);
        calls.send(calls.request("/v2/" + repo + "/blobs/" + digest).method("HEAD", BodyPublishers.noBody()), false, 200);
    }

    private void pullBlobOnce(String repo, String digest) {
        calls.send(calls.request("/v2/" + repo + "/blobs/" + digest).GET(), true, 200).ifPresent(r -> {
            if (!Arrays.equals(blobs.get(repo).get(digest), r.body())) calls.violations.add(repo + "@" + digest + ": wrong bytes");
        });
    }

    /** Lists tags once the repository has one (before, 404 {@code NAME_UNKNOWN} is right); the certain ones must be listed. */
    private void listTags(String repo) {
        if (tags.get(repo).isEmpty()) return;
        calls.send(calls.request("/v2/" + repo + "/tags/list").GET(), false, 200).ifPresent(r -> {
            String body = new String(r.body(), StandardCharsets.UTF_8);
            for (String tag : tags.get(repo).keySet()) {
                if (!body.contains("\"" + tag + "\"")) calls.violations.add(repo + ": tag " + tag + " not listed in " + body);
            }
        });
    }

    private void deleteManifest(String repo, String digest) {
        // Tags pointing at it go with it, or (on failure) may have gone.
        tags.get(repo).values().removeIf(digest::equals);
        delete(repo, "/manifests/" + digest, manifests.get(repo), digest);
    }

    /** Deletes; whether it answers 202 or fails, the object is no longer expected. */
    private void delete(String repo, String path, Map<String, ?> acknowledged, String key) {
        acknowledged.remove(key);
        calls.send(calls.request("/v2/" + repo + path).DELETE(), false, 202);
    }

    /** With faults off: everything acknowledged is there and whole, and every listed tag resolves. */
    List<String> verifyAcknowledged() {
        CheckedCalls clean = new CheckedCalls(calls.base());
        List<String> problems = new ArrayList<>();
        for (String repo : List.of(repoA, repoB)) {
            blobs.get(repo).forEach((digest, bytes) -> clean.send(clean.request("/v2/" + repo + "/blobs/" + digest).GET(), false, 200)
                    .filter(r -> !Arrays.equals(bytes, r.body()))
                    .ifPresent(r -> problems.add(repo + "@" + digest + ": acknowledged blob has other bytes")));
            manifests.get(repo).forEach((digest, bytes) -> clean.send(clean.request("/v2/" + repo + "/manifests/" + digest)
                            .header("Accept", MANIFEST).GET(), false, 200)
                    .filter(r -> !Arrays.equals(bytes, r.body()))
                    .ifPresent(r -> problems.add(repo + "@" + digest + ": acknowledged manifest has other bytes")));
            for (String tag : tags.get(repo).keySet()) {
                clean.send(clean.request("/v2/" + repo + "/manifests/" + tag).header("Accept", MANIFEST).GET(), false, 200)
                        .ifPresent(r -> checkManifestAnswer(problems, repo, tag, r));
            }
            int[] listed = tags.get(repo).isEmpty() ? new int[] {200, 404} : new int[] {200};
            clean.send(clean.request("/v2/" + repo + "/tags/list").GET(), false, listed).filter(r -> r.statusCode() == 200)
                    .ifPresent(r -> everyListedTagResolves(clean, problems, repo, r.body()));
        }
        problems.addAll(clean.violations);
        return problems;
    }

    private void everyListedTagResolves(CheckedCalls clean, List<String> problems, String repo, byte[] listing) {
        try {
            for (var tag : new com.fasterxml.jackson.databind.ObjectMapper().readTree(listing).path("tags")) {
                clean.send(clean.request("/v2/" + repo + "/manifests/" + tag.asText()).header("Accept", MANIFEST).GET(), false, 200)
                        .ifPresent(r -> checkManifestAnswer(problems, repo, tag.asText(), r));
            }
        } catch (java.io.IOException e) {
            problems.add(repo + ": tag list is not JSON");
        }
    }

    /** With faults off, the same registry takes a whole push and serves it back. */
    void verifyStillServing() {
        byte[] layer = bytes();
        byte[] config = "{\"after\":\"faults\"}".getBytes(StandardCharsets.UTF_8);
        CheckedCalls clean = new CheckedCalls(calls.base());
        FaultFlows after = new FaultFlows(clean, random.nextLong());
        String c = after.pushMonolithic(after.repoA, config).orElseThrow(() -> new AssertionError(clean.violations));
        String l = after.pushChunked(after.repoA, layer).orElseThrow(() -> new AssertionError(clean.violations));
        String m = after.putManifest(after.repoA, "after", after.manifest(c, List.of(l))).orElseThrow(() -> new AssertionError(clean.violations));
        after.pullManifest(after.repoA, "after");
        HttpResponse<byte[]> pulled = clean.send(clean.request("/v2/" + after.repoA + "/blobs/" + l).GET(), false, 200)
                .orElseThrow(() -> new AssertionError(clean.violations));
        assertArrayEquals(layer, pulled.body());
        assertTrue(clean.violations.isEmpty(), "clean push and pull after faults: " + clean.violations + " " + m);
    }

    static String sha256(byte[] bytes) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
