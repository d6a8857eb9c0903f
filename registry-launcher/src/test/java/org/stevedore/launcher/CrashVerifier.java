package org.stevedore.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Checks over HTTP what a {@link CrashWorker} was told: every acknowledged blob and manifest is
 * served and hashes to its digest; every tag names a manifest it may name (the last acknowledged
 * one, or one whose push a kill cut off) and that manifest's blobs are in the repository.
 */
final class CrashVerifier {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client;
    private final URI base;
    private final List<String> problems = new ArrayList<>();
    private long checked;
    private long acknowledged;

    CrashVerifier(HttpClient client, URI base) {
        this.client = client;
        this.base = base;
    }

    List<String> problems() {
        return problems;
    }

    long checked() {
        return checked;
    }

    long acknowledged() {
        return acknowledged;
    }

    void verify(CrashWorker worker) throws IOException, InterruptedException {
        for (Map.Entry<String, Set<String>> repo : worker.blobs.entrySet()) {
            for (String digest : repo.getValue()) blob(repo.getKey(), digest);
            acknowledged += repo.getValue().size();
        }
        for (String digest : worker.manifests) manifest(worker.repo, digest);
        for (Map.Entry<String, Set<String>> tag : worker.tags.entrySet()) tag(worker.repo, tag.getKey(), tag.getValue());
        acknowledged += worker.manifests.size();
    }

    /** A few acknowledged objects of {@code worker}, while its pushes go on. */
    void spotCheck(CrashWorker worker, Random random, int count) throws IOException, InterruptedException {
        List<String> blobs = new ArrayList<>(worker.blobs.get(worker.repo));
        for (int i = 0; i < count && !blobs.isEmpty(); i++) blob(worker.repo, blobs.get(random.nextInt(blobs.size())));
        List<String> manifests = new ArrayList<>(worker.manifests);
        if (!manifests.isEmpty()) manifest(worker.repo, manifests.get(random.nextInt(manifests.size())));
    }

    private void blob(String repo, String digest) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = get("/v2/" + repo + "/blobs/" + digest);
        checked++;
        if (response.statusCode() != 200) {
            problems.add(repo + "@" + digest + ": acknowledged blob answers " + response.statusCode());
        } else if (!CrashWorker.sha256(response.body()).equals(digest)) {
            problems.add(repo + "@" + digest + ": acknowledged blob has other bytes (" + response.body().length + ")");
        }
    }

    private void manifest(String repo, String digest) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = get("/v2/" + repo + "/manifests/" + digest);
        checked++;
        if (response.statusCode() != 200) {
            problems.add(repo + "@" + digest + ": acknowledged manifest answers " + response.statusCode());
        } else if (!CrashWorker.sha256(response.body()).equals(digest)) {
            problems.add(repo + "@" + digest + ": acknowledged manifest has other bytes");
        }
    }

    private void tag(String repo, String tag, Set<String> allowed) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = get("/v2/" + repo + "/manifests/" + tag);
        checked++;
        if (response.statusCode() == 404 && CrashWorker.mayBeAbsent(allowed)) return;
        if (response.statusCode() != 200) {
            problems.add(repo + ":" + tag + ": answers " + response.statusCode());
            return;
        }
        String digest = CrashWorker.sha256(response.body());
        if (!allowed.contains(digest)) {
            problems.add(repo + ":" + tag + ": names " + digest + ", none of " + allowed);
            return;
        }
        JsonNode manifest = JSON.readTree(response.body());
        List<JsonNode> blobs = new ArrayList<>();
        blobs.add(manifest.path("config"));
        manifest.path("layers").forEach(blobs::add);
        for (JsonNode blob : blobs) {
            String blobDigest = blob.path("digest").asText();
            HttpResponse<byte[]> head = send(HttpRequest.newBuilder(base.resolve("/v2/" + repo + "/blobs/" + blobDigest))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()));
            if (head.statusCode() != 200) problems.add(repo + ":" + tag + ": blob " + blobDigest + " answers " + head.statusCode());
        }
    }

    private HttpResponse<byte[]> get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve(path)).header("Accept", CrashWorker.MANIFEST).GET());
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return client.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
