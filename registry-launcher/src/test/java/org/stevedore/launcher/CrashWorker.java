package org.stevedore.launcher;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * One client of the crash harness, pushing in a loop to repositories of its own: monolithic
 * {@code POST ?digest}, {@code POST} + {@code PUT}, chunked {@code PATCH}es with
 * {@code Content-Range}, a streamed {@code PATCH}, cross-repository mounts, manifests by tag (tags
 * move) and by digest. It records what the server acknowledged. A request the kill cut off leaves
 * its outcome open: a chunked or streamed upload is resumed after the restart from the offset the
 * server reports; a manifest may or may not have landed, so its tag may name the old or the new one.
 */
final class CrashWorker implements Runnable {
    static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final String ABSENT = "";

    /** What the harness offers its workers: the current client, and a wait for the next start. */
    interface Harness {
        HttpClient client();

        URI base();

        int generation();

        /** Waits until the server was started again after {@code generation}; false when it stopped. */
        boolean awaitRestartAfter(int generation) throws InterruptedException;

        boolean stopping();

        void requestDone();

        void violation(String problem);
    }

    private record Blob(String digest, int size) {
    }

    private record Pending(String location, byte[] bytes, String digest) {
    }

    private final Harness harness;
    private final Random random;
    final String repo;
    private final String source;
    /** Acknowledged: blobs per repository, manifests of {@link #repo}, and what each tag may name. */
    final Map<String, Set<String>> blobs = new ConcurrentHashMap<>();
    final Set<String> manifests = ConcurrentHashMap.newKeySet();
    final Map<String, Set<String>> tags = new ConcurrentHashMap<>();
    private final List<Blob> own = new CopyOnWriteArrayList<>();
    private Pending pending;
    volatile long resumed;

    CrashWorker(Harness harness, int id, long seed) {
        this.harness = harness;
        this.random = new Random(seed);
        this.repo = "crash/w" + id;
        this.source = "crash/w" + id + "-src";
        blobs.put(repo, ConcurrentHashMap.newKeySet());
        blobs.put(source, ConcurrentHashMap.newKeySet());
    }

    @Override
    public void run() {
        while (!harness.stopping()) {
            int generation = harness.generation();
            try {
                if (pending != null) resume();
                else step();
            } catch (IOException cut) {
                try {
                    if (!harness.awaitRestartAfter(generation)) return;
                } catch (InterruptedException e) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void step() throws IOException, InterruptedException {
        int r = random.nextInt(100);
        if (r < 14) {
            monolithic(repo, bytes(false)).ifPresent(own::add);
        } else if (r < 26) {
            postPut(bytes(false));
        } else if (r < 46) {
            chunked(bytes(random.nextInt(10) == 0));
        } else if (r < 58) {
            streamed(bytes(random.nextInt(10) == 0));
        } else if (r < 68) {
            mount();
        } else if (own.size() >= 2) {
            manifest();
        } else {
            monolithic(repo, bytes(false)).ifPresent(own::add);
        }
    }

    /** Mostly small blobs; a few of 1 to 4 MiB, which a kill is likely to catch mid-transfer. */
    private byte[] bytes(boolean large) {
        byte[] bytes = new byte[large ? (1 << 20) + random.nextInt(3 << 20) : 2 + random.nextInt(32 * 1024)];
        random.nextBytes(bytes);
        return bytes;
    }

    private java.util.Optional<Blob> monolithic(String repository, byte[] bytes) throws IOException, InterruptedException {
        String digest = sha256(bytes);
        HttpResponse<byte[]> response = send(request("/v2/" + repository + "/blobs/uploads/?digest=" + digest)
                .header("Content-Type", "application/octet-stream").POST(BodyPublishers.ofByteArray(bytes)));
        if (!expect(response, 201)) return java.util.Optional.empty();
        blobs.get(repository).add(digest);
        return java.util.Optional.of(new Blob(digest, bytes.length));
    }

    private void postPut(byte[] bytes) throws IOException, InterruptedException {
        String location = startUpload();
        if (location == null) return;
        String digest = sha256(bytes);
        HttpResponse<byte[]> put = send(request(withQuery(location, "digest=" + digest))
                .header("Content-Type", "application/octet-stream").PUT(BodyPublishers.ofByteArray(bytes)));
        if (expect(put, 201)) acknowledge(digest, bytes.length);
    }

    private void chunked(byte[] bytes) throws IOException, InterruptedException {
        String location = startUpload();
        if (location == null) return;
        pending = new Pending(location, bytes, sha256(bytes));
        int chunk = Math.max(2, bytes.length > (1 << 20) ? 512 * 1024 : bytes.length / (2 + random.nextInt(3)));
        finish(location, 0, chunk);
    }

    private void streamed(byte[] bytes) throws IOException, InterruptedException {
        String location = startUpload();
        if (location == null) return;
        pending = new Pending(location, bytes, sha256(bytes));
        // No length: the body goes out chunked, as docker streams a layer.
        HttpResponse<byte[]> patched = send(request(location).header("Content-Type", "application/octet-stream")
                .method("PATCH", BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes))));
        if (!expect(patched, 202)) {
            pending = null;
            return;
        }
        finish(location(patched), bytes.length, bytes.length);
    }

    /** Sends the pending upload's bytes from {@code offset} in chunks, then completes it. */
    private void finish(String location, int offset, int chunk) throws IOException, InterruptedException {
        byte[] bytes = pending.bytes();
        while (offset < bytes.length) {
            int end = Math.min(bytes.length, offset + chunk);
            HttpResponse<byte[]> patched = send(request(location).header("Content-Type", "application/octet-stream")
                    .header("Content-Range", offset + "-" + (end - 1))
                    .method("PATCH", BodyPublishers.ofByteArray(Arrays.copyOfRange(bytes, offset, end))));
            if (!expect(patched, 202)) {
                pending = null;
                return;
            }
            location = location(patched);
            pending = new Pending(location, bytes, pending.digest());
            offset = end;
        }
        HttpResponse<byte[]> put = send(request(withQuery(location, "digest=" + pending.digest())).PUT(BodyPublishers.noBody()));
        Pending done = pending;
        pending = null;
        if (expect(put, 201)) acknowledge(done.digest(), bytes.length);
    }

    /** Continues an upload a kill interrupted, from the offset the restarted server reports. */
    private void resume() throws IOException, InterruptedException {
        Pending interrupted = pending;
        HttpResponse<byte[]> status = send(request(interrupted.location()).GET());
        if (status.statusCode() == 404) {
            // The session ends when its blob is published: the PUT may have completed before the kill.
            pending = null;
            HttpResponse<byte[]> head = send(request("/v2/" + repo + "/blobs/" + interrupted.digest())
                    .method("HEAD", BodyPublishers.noBody()));
            if (expect(head, 200)) acknowledge(interrupted.digest(), interrupted.bytes().length);
            return;
        }
        if (!expect(status, 204)) {
            pending = null;
            return;
        }
        String range = status.headers().firstValue("Range").orElse("0-0");
        // "0-0" is an empty session: every committed chunk has at least two bytes.
        int offset = range.equals("0-0") ? 0 : Integer.parseInt(range.substring(range.indexOf('-') + 1)) + 1;
        if (offset > interrupted.bytes().length) {
            harness.violation(interrupted.location() + ": resumed session reports " + offset + " bytes of "
                    + interrupted.bytes().length);
            pending = null;
            return;
        }
        finish(location(status), offset, Math.max(2, interrupted.bytes().length / 2));
        resumed++;
    }

    private void mount() throws IOException, InterruptedException {
        java.util.Optional<Blob> pushed = monolithic(source, bytes(false));
        if (pushed.isEmpty()) return;
        HttpResponse<byte[]> mounted = send(request("/v2/" + repo + "/blobs/uploads/?mount=" + pushed.get().digest()
                + "&from=" + source).POST(BodyPublishers.noBody()));
        if (expect(mounted, 201)) acknowledge(pushed.get().digest(), pushed.get().size());
    }

    private void manifest() throws IOException, InterruptedException {
        List<Blob> picked = new ArrayList<>(own);
        java.util.Collections.shuffle(picked, random);
        picked = picked.subList(0, Math.min(picked.size(), 2 + random.nextInt(3)));
        StringBuilder json = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"" + MANIFEST + "\",\"config\":"
                + descriptor("application/vnd.oci.image.config.v1+json", picked.get(0)) + ",\"layers\":[");
        for (int i = 1; i < picked.size(); i++) {
            json.append(i == 1 ? "" : ",").append(descriptor("application/vnd.oci.image.layer.v1.tar", picked.get(i)));
        }
        byte[] bytes = json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
        String digest = sha256(bytes);
        String tag = random.nextInt(5) == 0 ? null : "t" + random.nextInt(3);
        Set<String> allowed = tag == null ? null : tags.computeIfAbsent(tag, t -> newAllowed());
        if (allowed != null) allowed.add(digest); // from now on it may name the new manifest
        HttpResponse<byte[]> put = send(request("/v2/" + repo + "/manifests/" + (tag == null ? digest : tag))
                .header("Content-Type", MANIFEST).PUT(BodyPublishers.ofByteArray(bytes)));
        if (!expect(put, 201)) return;
        manifests.add(digest);
        if (allowed != null) allowed.retainAll(Set.of(digest));
    }

    private static String descriptor(String mediaType, Blob blob) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + blob.digest() + "\",\"size\":" + blob.size() + "}";
    }

    private void acknowledge(String digest, int size) {
        blobs.get(repo).add(digest);
        own.add(new Blob(digest, size));
    }

    private String startUpload() throws IOException, InterruptedException {
        HttpResponse<byte[]> started = send(request("/v2/" + repo + "/blobs/uploads/").POST(BodyPublishers.noBody()));
        return expect(started, 202) ? location(started) : null;
    }

    private HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(harness.base().resolve(pathAndQuery)).timeout(TIMEOUT);
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = harness.client().send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        harness.requestDone();
        return response;
    }

    private boolean expect(HttpResponse<byte[]> response, int status) {
        if (response.statusCode() == status) return true;
        harness.violation(response.request().method() + " " + response.request().uri().getPath() + ": " + response.statusCode()
                + " (expected " + status + ") " + new String(response.body(), StandardCharsets.UTF_8));
        return false;
    }

    private String location(HttpResponse<?> response) {
        URI uri = harness.base().resolve(response.headers().firstValue("Location").orElseThrow());
        return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }

    private static String withQuery(String location, String query) {
        return location + (location.contains("?") ? "&" : "?") + query;
    }

    static String sha256(byte[] bytes) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Set<String> newAllowed() {
        Set<String> allowed = ConcurrentHashMap.newKeySet();
        allowed.add(ABSENT); // a tag that was never acknowledged may not exist
        return allowed;
    }

    static boolean mayBeAbsent(Set<String> allowed) {
        return allowed.contains(ABSENT);
    }
}
