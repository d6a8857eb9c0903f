package org.stevedore.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.undertow.server.HttpHandler;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stevedore.auth.AuthConfigurations;
import org.stevedore.auth.htpasswd.Bcrypt;
import org.stevedore.registry.Registry;
import org.stevedore.registry.fixtures.PushedImage;

/** Upstreams that want credentials: Basic, and distribution's Bearer token flow. */
class UpstreamAuthTest {
    @TempDir
    Path temp;

    @Test
    void answersBasicChallengesWithTheConfiguredCredentials() throws Exception {
        try (Registry upstream = Registry.builder().users(Map.of("puller", "s3cret")).start()) {
            PushedImage image = upstream.fixtures().pushImage("private/app", "1", 2000);
            try (Registry proxy = proxyOf(Upstream.of("hub/", upstream.url()).withCredentials("puller", "s3cret"));
                 Registry wrong = proxyOf(Upstream.of("hub/", upstream.url()).withCredentials("puller", "nope"))) {
                assertEquals(image.manifest(), Http.pull(proxy.url(), "hub/private/app", "1"));

                HttpResponse<byte[]> refused = Http.get(wrong.url(), "/v2/hub/private/app/manifests/1");
                assertEquals(503, refused.statusCode());
                assertEquals("UNAVAILABLE", Http.errorCode(refused));
            }
        }
    }

    @Test
    void fetchesBearerTokensFromTheRealmAndReusesThem() throws Exception {
        Path htpasswd = Files.writeString(temp.resolve("htpasswd"), "puller:" + Bcrypt.hash("s3cret", 4) + "\n");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort(); // the realm names the upstream's own port
        }
        AuthConfigurations.BuiltInTokenServer tokens = AuthConfigurations.builtInToken(
                URI.create("http://127.0.0.1:" + port + "/auth/token"), "upstream.test", "upstream",
                htpasswd, Optional.empty());
        AtomicInteger tokenRequests = new AtomicInteger();
        HttpHandler endpoint = tokens.endpoint();
        try (Registry upstream = Registry.builder().port(port).accessController(tokens.controller())
                .extraRoute(tokens.path(), exchange -> {
                    tokenRequests.incrementAndGet();
                    endpoint.handleRequest(exchange);
                }).start()) {
            PushedImage image = upstream.fixtures().pushImage("team/app", "1", 1500, 2500);
            try (Registry proxy = proxyOf(Upstream.of("ghcr/", upstream.url()).withCredentials("puller", "s3cret"))) {
                assertEquals(image.manifest(), Http.pull(proxy.url(), "ghcr/team/app", "1"));
                assertEquals(image.manifest(), Http.pull(proxy.url(), "ghcr/team/app", image.manifest().toString()));
                // HEAD and GET of the tag, three blobs: one token for the one scope, reused.
                assertEquals(1, tokenRequests.get());
            }
            try (Registry anonymous = proxyOf(Upstream.of("ghcr/", upstream.url()))) {
                HttpResponse<byte[]> refused = Http.get(anonymous.url(), "/v2/ghcr/team/app/manifests/1");
                assertEquals(503, refused.statusCode());
            }
        }
    }

    private static Registry proxyOf(Upstream upstream) {
        return Registry.builder().contentSource(PullThroughCache.over(List.of(upstream))).start();
    }
}
