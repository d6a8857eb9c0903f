package org.stevedore.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.stevedore.model.Digest;
import org.stevedore.model.RepositoryName;
import org.stevedore.registry.Registry;
import org.stevedore.registry.fixtures.ImageSpec;
import org.stevedore.registry.fixtures.Platform;
import org.stevedore.registry.fixtures.PushedImage;
import org.stevedore.registry.fixtures.PushedIndex;

/** Two embedded registries: an upstream, and a Stevedore that caches it under {@code hub/}. */
class PullThroughCacheTest {
    private final AtomicInteger upstreamBlobGets = new AtomicInteger();
    private final AtomicInteger upstreamManifestGets = new AtomicInteger();
    private final Registry upstream = Registry.builder().requestObserver(request -> {
        if (!request.method().equals("GET")) return;
        if (request.path().contains("/blobs/")) upstreamBlobGets.incrementAndGet();
        if (request.path().contains("/manifests/")) upstreamManifestGets.incrementAndGet();
    }).start();
    private Registry proxy;

    @AfterEach
    void stop() {
        if (proxy != null) proxy.close();
        upstream.close();
    }

    private Registry proxy(Duration ttl) {
        proxy = Registry.builder().contentSource(PullThroughCache.over(List.of(
                Upstream.of("hub/", upstream.url()).withTtl(ttl)))).start();
        return proxy;
    }

    @Test
    void pullsThroughWithIdenticalDigestsThenServesFromStorage() throws Exception {
        PushedImage image = upstream.fixtures().pushImage("library/app", "1", 1000, 150_000);
        URI base = proxy(Duration.ofHours(1)).url();

        assertEquals(image.manifest(), Http.pull(base, "hub/library/app", "1"));
        assertEquals(image.layers().size() + 1, upstreamBlobGets.get());
        int blobGets = upstreamBlobGets.get();
        int manifestGets = upstreamManifestGets.get();

        assertEquals(image.manifest(), Http.pull(base, "hub/library/app", "1"));
        assertEquals(image.manifest(), Http.pull(base, "hub/library/app", image.manifest().toString()));
        assertEquals(blobGets, upstreamBlobGets.get(), "second pull fetched blobs upstream");
        assertEquals(manifestGets, upstreamManifestGets.get(), "second pull fetched the manifest upstream");
        assertTrue(proxy.service().blobs().find(RepositoryName.of("hub/library/app"), image.layers().get(1)).isPresent());
    }

    @Test
    void pullsAnIndexAndItsChildManifestsByDigest() throws Exception {
        PushedIndex index = upstream.fixtures().pushIndex("multi", "latest", ImageSpec.layers(2000),
                Platform.LINUX_AMD64, Platform.LINUX_ARM64);
        URI base = proxy(Duration.ofHours(1)).url();

        assertEquals(index.index(), Http.pull(base, "hub/multi", "latest"));
        upstream.close();
        assertEquals(index.index(), Http.pull(base, "hub/multi", "latest"));
    }

    @Test
    void servesCachedContentWhenTheUpstreamIsDown() throws Exception {
        PushedImage image = upstream.fixtures().pushImage("app", "1", 5000);
        upstream.fixtures().pushImage("app", "never-pulled", 10);
        URI base = proxy(Duration.ZERO).url(); // every pull revalidates the tag
        Http.pull(base, "hub/app", "1");

        upstream.close();

        assertEquals(image.manifest(), Http.pull(base, "hub/app", "1"));
        HttpResponse<byte[]> missing = Http.get(base, "/v2/hub/app/manifests/never-pulled");
        assertEquals(503, missing.statusCode());
        assertEquals("UNAVAILABLE", Http.errorCode(missing));
        HttpResponse<byte[]> blob = Http.get(base, "/v2/hub/app/blobs/" + Http.sha256(new byte[] {1}));
        assertEquals(503, blob.statusCode());
    }

    @Test
    void revalidatesTagsOnlyAfterTheTtl() throws Exception {
        upstream.fixtures().pushImage("app", "moving", ImageSpec.layers(100).seed(1));
        Registry cached = proxy(Duration.ofHours(1));
        Registry fresh = Registry.builder().contentSource(PullThroughCache.over(List.of(
                Upstream.of("hub/", upstream.url()).withTtl(Duration.ZERO)))).start();
        try {
            Digest first = Http.pull(cached.url(), "hub/app", "moving");
            assertEquals(first, Http.pull(fresh.url(), "hub/app", "moving"));
            int manifestGets = upstreamManifestGets.get();
            assertEquals(first, Http.pull(fresh.url(), "hub/app", "moving"));
            assertEquals(manifestGets, upstreamManifestGets.get(), "an unchanged tag is only checked with HEAD");

            PushedImage moved = upstream.fixtures().pushImage("app", "moving", ImageSpec.layers(100).seed(2));

            assertEquals(first, Http.pull(cached.url(), "hub/app", "moving"), "within the TTL the cache answers");
            assertEquals(moved.manifest(), Http.pull(fresh.url(), "hub/app", "moving"), "after the TTL the move shows");
        } finally {
            fresh.close();
        }
    }

    @Test
    void hostedRepositoriesAcceptPushesAndProxiedOnesRefuseThem() throws Exception {
        URI base = proxy(Duration.ofHours(1)).url();
        byte[] blob = "hosted bytes".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Digest digest = Http.sha256(blob);

        HttpResponse<byte[]> hosted = Http.send("POST", base, "/v2/team/app/blobs/uploads/?digest=" + digest, null, blob);
        assertEquals(201, hosted.statusCode());
        assertArrayEquals(blob, Http.get(base, "/v2/team/app/blobs/" + digest).body());

        HttpResponse<byte[]> proxied = Http.send("POST", base, "/v2/hub/app/blobs/uploads/?digest=" + digest, null, blob);
        assertEquals(405, proxied.statusCode());
        assertEquals("UNSUPPORTED", Http.errorCode(proxied));
        HttpResponse<byte[]> manifest = Http.send("PUT", base, "/v2/hub/app/manifests/1",
                "application/vnd.oci.image.manifest.v1+json", "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(405, manifest.statusCode());
        assertEquals("UNSUPPORTED", Http.errorCode(manifest));
        HttpResponse<byte[]> delete = Http.send("DELETE", base, "/v2/hub/app/manifests/1", null, null);
        assertEquals(405, delete.statusCode());
    }

    @Test
    void unknownUpstreamContentIsUnknownHere() throws Exception {
        URI base = proxy(Duration.ofHours(1)).url();

        HttpResponse<byte[]> manifest = Http.get(base, "/v2/hub/nothing/manifests/latest");
        assertEquals(404, manifest.statusCode());
        assertEquals("MANIFEST_UNKNOWN", Http.errorCode(manifest));
        HttpResponse<byte[]> blob = Http.get(base, "/v2/hub/nothing/blobs/" + Http.sha256(new byte[] {2}));
        assertEquals(404, blob.statusCode());
        assertEquals("BLOB_UNKNOWN", Http.errorCode(blob));
        HttpResponse<byte[]> head = Http.send("HEAD", base, "/v2/hub/nothing/blobs/" + Http.sha256(new byte[] {2}),
                null, null);
        assertEquals(404, head.statusCode());
    }

    @Test
    void headOfAMissingBlobAsksTheUpstreamWithoutStoring() throws Exception {
        PushedImage image = upstream.fixtures().pushImage("app", "1", 4096);
        URI base = proxy(Duration.ofHours(1)).url();
        Digest layer = image.layers().get(0);

        HttpResponse<byte[]> head = Http.send("HEAD", base, "/v2/hub/app/blobs/" + layer, null, null);

        assertEquals(200, head.statusCode());
        assertEquals(layer.toString(), head.headers().firstValue("Docker-Content-Digest").orElseThrow());
        long size = upstream.service().blobs().findStored(layer).orElseThrow().size();
        assertEquals(String.valueOf(size), head.headers().firstValue("Content-Length").orElseThrow());
        assertEquals(0, upstreamBlobGets.get());
        assertFalse(proxy.service().blobs().find(RepositoryName.of("hub/app"), layer).isPresent());
    }

    @Test
    void rangeOnAMissingBlobStoresItThenServesTheRange() throws Exception {
        PushedImage image = upstream.fixtures().pushImage("app", "1", 4096);
        URI base = proxy(Duration.ofHours(1)).url();
        Digest layer = image.layers().get(0);
        byte[] whole = Http.get(upstream.url(), "/v2/app/blobs/" + layer).body();

        HttpResponse<byte[]> range = Http.send("GET", base, "/v2/hub/app/blobs/" + layer, null, null,
                "Range", "bytes=10-19");
        assertEquals(206, range.statusCode());
        assertArrayEquals(java.util.Arrays.copyOfRange(whole, 10, 20), range.body());
        assertTrue(proxy.service().blobs().find(RepositoryName.of("hub/app"), layer).isPresent());
    }

    @Test
    void listsTheUpstreamsTagsAndTheCachedOnesWhenItIsDown() throws Exception {
        upstream.fixtures().pushImage("app", "1", 10);
        upstream.fixtures().pushImage("app", "2", 10);
        URI base = proxy(Duration.ofHours(1)).url();

        assertEquals("{\"name\":\"hub/app\",\"tags\":[\"1\",\"2\"]}",
                new String(Http.get(base, "/v2/hub/app/tags/list").body()));
        assertEquals("{\"name\":\"hub/app\",\"tags\":[\"2\"]}",
                new String(Http.get(base, "/v2/hub/app/tags/list?n=1&last=1").body()));
        Http.pull(base, "hub/app", "2");
        upstream.close();
        assertEquals("{\"name\":\"hub/app\",\"tags\":[\"2\"]}",
                new String(Http.get(base, "/v2/hub/app/tags/list").body()));
    }

    @Test
    void singleUpstreamFormProxiesEveryRepository() throws Exception {
        PushedImage image = upstream.fixtures().pushImage("library/app", "1", 100);
        proxy = Registry.builder().contentSource(PullThroughCache.over(List.of(Upstream.of("", upstream.url()))))
                .start();

        assertEquals(image.manifest(), Http.pull(proxy.url(), "library/app", "1"));
        HttpResponse<byte[]> push = Http.send("POST", proxy.url(), "/v2/mine/blobs/uploads/", null, new byte[0]);
        assertEquals(405, push.statusCode());
    }
}
