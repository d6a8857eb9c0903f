package org.stevedore.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.stevedore.http.RegistryClient.utf8;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.stevedore.registry.Registry;

/**
 * {@code GET /v2/} without access control is answered on the I/O thread, without the hand-over
 * to a worker (RegistryHandler): the answer, its headers, the access line and the observers are
 * those of any other request; with access control, and for every other route, a worker answers.
 */
class VersionCheckTest {
    /** What observers saw: method, path, status, and the thread they were called on. */
    private record Seen(String method, String path, int status, String thread, boolean finished) {
    }

    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final RequestObserver observer = new RequestObserver() {
        @Override
        public void completed(CompletedRequest request) {
            seen.add(new Seen(request.method(), request.path(), request.status(), Thread.currentThread().getName(), false));
        }

        @Override
        public void finished(CompletedRequest request, RequestTotals totals) {
            seen.add(new Seen(request.method(), request.path(), request.status(), Thread.currentThread().getName(), true));
        }
    };
    private LogTap log;
    private Registry registry;

    @BeforeEach
    void start() {
        log = new LogTap();
    }

    @AfterEach
    void stop() {
        if (registry != null) registry.close();
        log.close();
    }

    private RegistryClient startRegistry(boolean withUsers) {
        var builder = TestRegistries.builder().accessLogAtInfo(true).requestObserver(observer)
                .responseHeaders(Map.of("X-Operator", List.of("ours")));
        if (withUsers) builder = builder.users(Map.of("alice", "secret"));
        registry = builder.start();
        return new RegistryClient(registry);
    }

    private Seen completion(String method, String path) {
        return seen.stream().filter(s -> !s.finished() && s.method().equals(method) && s.path().equals(path)).findFirst()
                .orElseThrow(() -> new AssertionError("no observer call for " + method + " " + path + ": " + seen));
    }

    @Test
    void theVersionCheckIsAnsweredOnTheIoThreadLikeAnyRequest() throws Exception {
        RegistryClient client = startRegistry(false);
        HttpResponse<byte[]> get = client.get("/v2/");
        assertEquals(200, get.statusCode());
        assertArrayEquals(utf8("{}"), get.body());
        assertEquals("application/json", get.headers().firstValue("Content-Type").orElse(""));
        assertEquals("registry/2.0", get.headers().firstValue("Docker-Distribution-API-Version").orElse(""));
        assertEquals("ours", get.headers().firstValue("X-Operator").orElse(""));
        HttpResponse<byte[]> head = client.head("/v2/");
        assertEquals(200, head.statusCode());
        assertEquals(0, head.body().length);
        assertEquals("2", head.headers().firstValue("Content-Length").orElse(""));

        List<String> lines = log.await(" GET /v2/ 200 2 bytes ");
        assertEquals(1, lines.size(), lines::toString);
        assertTrue(lines.get(0).matches(".* id=[0-9a-f-]{36} user=- received=0 .*"), lines.get(0));
        Seen completed = completion("GET", "/v2/");
        assertEquals(200, completed.status());
        assertTrue(completed.thread().contains("I/O"), "the version check went to " + completed.thread());
        assertTrue(completion("HEAD", "/v2/").thread().contains("I/O"), seen::toString);

        // Every other route may block on storage: a worker answers it.
        assertEquals(404, client.get("/v2/some/repo/manifests/latest").statusCode());
        String worker = completion("GET", "/v2/some/repo/manifests/latest").thread();
        assertTrue(worker.contains("task"), "a manifest read ran on " + worker);
    }

    @Test
    void withAccessControlTheVersionCheckGoesToAWorker() throws Exception {
        RegistryClient client = startRegistry(true);
        HttpResponse<byte[]> refused = client.get("/v2/");
        assertEquals(401, refused.statusCode());
        assertTrue(refused.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic "), refused.headers()::toString);
        Seen completed = completion("GET", "/v2/");
        assertEquals(401, completed.status());
        assertTrue(completed.thread().contains("task"), "a credential check ran on " + completed.thread());
        assertEquals(200, client.get("/v2/", "Authorization", RegistryClient.basic("alice", "secret")).statusCode());
    }
}
