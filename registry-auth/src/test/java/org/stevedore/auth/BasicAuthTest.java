package org.stevedore.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.stevedore.auth.htpasswd.HtpasswdAccessController;
import org.stevedore.auth.htpasswd.HtpasswdAuthenticator;
import org.stevedore.registry.Registry;

/** Basic authentication against htpasswd, seen over HTTP as clients see it. */
class BasicAuthTest {
    private static final String DIGEST = "sha256:" + "ab".repeat(32);
    private static final String CHALLENGE = "Basic realm=\"Registry Realm\"";

    @TempDir
    static Path temp;

    private static Registry registry;
    private static AuthHttp http;
    private static HtpasswdAuthenticator authenticator;

    /** One registry for the tests that do not change the file: starting one per test costs time. */
    @BeforeAll
    static void start() throws Exception {
        Path file = Htpasswd.write(temp.resolve("htpasswd"), "alice", "s3cret", "bob", "hunter2");
        HtpasswdAccessController controller = (HtpasswdAccessController)
                AuthConfigurations.htpasswd(file, "Registry Realm", Optional.empty());
        authenticator = controller.authenticator();
        registry = Registry.builder().accessController(controller).start();
        http = new AuthHttp(registry);
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    /** Every route and method of the API, and an unknown path. */
    static Stream<List<String>> routes() {
        return Stream.of(
                List.of("GET", "/v2/"), List.of("HEAD", "/v2/"), List.of("GET", "/v2/_catalog"),
                List.of("GET", "/v2/team/app/tags/list"),
                List.of("GET", "/v2/team/app/manifests/latest"), List.of("HEAD", "/v2/team/app/manifests/latest"),
                List.of("PUT", "/v2/team/app/manifests/latest"), List.of("DELETE", "/v2/team/app/manifests/" + DIGEST),
                List.of("GET", "/v2/team/app/blobs/" + DIGEST), List.of("HEAD", "/v2/team/app/blobs/" + DIGEST),
                List.of("DELETE", "/v2/team/app/blobs/" + DIGEST),
                List.of("POST", "/v2/team/app/blobs/uploads/"),
                List.of("POST", "/v2/team/app/blobs/uploads/?mount=" + DIGEST + "&from=other/repo"),
                List.of("GET", "/v2/team/app/blobs/uploads/0f4c1d2e"), List.of("PATCH", "/v2/team/app/blobs/uploads/0f4c1d2e"),
                List.of("PUT", "/v2/team/app/blobs/uploads/0f4c1d2e?digest=" + DIGEST),
                List.of("DELETE", "/v2/team/app/blobs/uploads/0f4c1d2e"),
                List.of("GET", "/v2/team/app/referrers/" + DIGEST),
                List.of("GET", "/v2/no/such/route"));
    }

    private static void assertChallenged(HttpResponse<String> response, String method) {
        assertEquals(401, response.statusCode(), response.body());
        assertEquals(CHALLENGE, response.headers().firstValue("WWW-Authenticate").orElse(""));
        if (!method.equals("HEAD")) assertTrue(response.body().contains("\"UNAUTHORIZED\""), response.body());
    }

    private HttpResponse<String> send(List<String> route, String authorization) {
        byte[] body = route.get(0).equals("PUT") || route.get(0).equals("PATCH") ? new byte[] {1, 2, 3} : null;
        return http.send(route.get(0), route.get(1), authorization, body);
    }

    @ParameterizedTest
    @MethodSource("routes")
    void everyRouteWithoutCredentialsIsChallenged(List<String> route) {
        assertChallenged(send(route, null), route.get(0));
    }

    @ParameterizedTest
    @MethodSource("routes")
    void everyRouteWithAWrongPasswordIsChallenged(List<String> route) {
        assertChallenged(send(route, AuthHttp.basic("alice", "wrong")), route.get(0));
    }

    @Test
    void unknownUserIsChallengedAfterABcryptCheckLikeAWrongPassword() {
        long before = authenticator.bcryptChecks();
        assertChallenged(http.get("/v2/", AuthHttp.basic("mallory", "s3cret")), "GET");
        assertEquals(before + 1, authenticator.bcryptChecks(), "an unknown user costs one bcrypt check too");
    }

    static Stream<String> malformedHeaders() {
        Base64.Encoder base64 = Base64.getEncoder();
        return Stream.of("Basic", "Basic ", "Basic !!!not-base64!!!", "Basic " + base64.encodeToString("nocolon".getBytes(StandardCharsets.UTF_8)),
                "Basic " + base64.encodeToString(":emptyuser".getBytes(StandardCharsets.UTF_8)),
                "Basic " + base64.encodeToString(new byte[] {(byte) 0xff, (byte) 0xfe, ':', 'x'}),
                "Basic " + "A".repeat(10_000), "Bearer abc.def.ghi", "Digest username=\"alice\"", "alice:s3cret",
                "Basic YWxpY2U6czNjcmV0 trailing", "Basic YWxpY2U6czNjcmV0=====");
    }

    @ParameterizedTest
    @MethodSource("malformedHeaders")
    void malformedAuthorizationIsChallengedNeverAServerError(String header) {
        assertChallenged(http.get("/v2/team/app/tags/list", header), "GET");
    }

    @Test
    void goodCredentialsReachEveryKindOfRoute() {
        String alice = AuthHttp.basic("alice", "s3cret");
        assertEquals(200, http.get("/v2/", alice).statusCode());
        String digest = http.pushBlob("team/app", "layer".getBytes(StandardCharsets.UTF_8), alice);
        assertEquals(200, http.get("/v2/team/app/blobs/" + digest, alice).statusCode());
        assertEquals(200, http.get("/v2/_catalog", alice).statusCode());
        assertEquals(404, http.get("/v2/team/app/manifests/latest", alice).statusCode());
        assertEquals(202, http.send("POST", "/v2/team/app/blobs/uploads/", alice, null).statusCode());
    }

    @Test
    void secondRequestWithTheSameCredentialsRunsNoBcrypt() {
        String bob = AuthHttp.basic("bob", "hunter2");
        assertEquals(200, http.get("/v2/", bob).statusCode());
        long afterFirst = authenticator.bcryptChecks();
        for (int i = 0; i < 20; i++) assertEquals(200, http.get("/v2/_catalog", bob).statusCode());
        assertEquals(afterFirst, authenticator.bcryptChecks(), "cached credentials must skip bcrypt");
        // A wrong password is never served from the cache.
        assertEquals(401, http.get("/v2/", AuthHttp.basic("bob", "hunter3")).statusCode());
        assertEquals(afterFirst + 1, authenticator.bcryptChecks());
    }

    /** A registry of its own over a file of its own, for tests that change the file. */
    private static Registry startOwn(Path file) {
        return Registry.builder().accessController(AuthConfigurations.htpasswd(file, "Registry Realm", Optional.empty()))
                .start();
    }

    /** Polls (bounded) until {@code authorization} stops working: the file is checked about once a second. */
    private static int statusOnceChanged(AuthHttp own, String authorization) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (own.get("/v2/", authorization).statusCode() == 200 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        return own.get("/v2/", authorization).statusCode();
    }

    @Test
    void changedPasswordAndRemovedUserStopWorkingOnceTheFileChanges() throws Exception {
        Path file = Htpasswd.write(temp.resolve("changing"), "alice", "s3cret", "bob", "hunter2");
        try (Registry own = startOwn(file)) {
            AuthHttp ownHttp = new AuthHttp(own);
            String alice = AuthHttp.basic("alice", "s3cret");
            String bob = AuthHttp.basic("bob", "hunter2");
            assertEquals(200, ownHttp.get("/v2/", alice).statusCode());
            assertEquals(200, ownHttp.get("/v2/", bob).statusCode()); // both cached now

            Htpasswd.write(file, "alice", "n3w-pass");
            assertEquals(401, statusOnceChanged(ownHttp, alice), "old password still accepted");
            assertEquals(401, ownHttp.get("/v2/", bob).statusCode(), "removed user still accepted");
            assertEquals(200, ownHttp.get("/v2/", AuthHttp.basic("alice", "n3w-pass")).statusCode());
        }
    }

    /** Issue 16 item 7: one bad line (an MD5 entry) must not lock every user out; the last good file serves. */
    @Test
    void aFileThatTurnsBadKeepsTheLastGoodUsersUntilFixed() throws Exception {
        Path file = Htpasswd.write(temp.resolve("turning-bad"), "alice", "s3cret");
        try (Registry own = startOwn(file)) {
            AuthHttp ownHttp = new AuthHttp(own);
            String alice = AuthHttp.basic("alice", "s3cret");
            assertEquals(200, ownHttp.get("/v2/", alice).statusCode());
            java.nio.file.Files.writeString(file, "alice:$apr1$abc$defghijklmnopqrstuvw\n");
            java.nio.file.Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(
                    System.currentTimeMillis() + 5000));
            Thread.sleep(1_500); // past the one-second check: the bad file has been read and refused
            assertEquals(200, ownHttp.get("/v2/", alice).statusCode(), "the last good file still serves");
            Htpasswd.write(file, "bob", "hunter2");
            assertEquals(401, statusOnceChanged(ownHttp, alice), "the fixed file replaces it");
            assertEquals(200, ownHttp.get("/v2/", AuthHttp.basic("bob", "hunter2")).statusCode());
        }
    }
}
