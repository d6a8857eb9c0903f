package org.stevedore.auth.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stevedore.auth.AuthConfigurations;
import org.stevedore.registry.Registry;

/** Tokens from an external token server, checked against its CA as distribution's rootcertbundle. */
class ExternalTokenTest {
    private static final String REALM = "https://auth.example.test/token";
    private static final String PULL_PATH = "/v2/team/app/tags/list";

    @TempDir
    static Path temp;
    private static TestTokenServer server;
    private static Registry registry;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws Exception {
        server = new TestTokenServer();
        Path bundle = server.writeBundle(temp.resolve("root.pem"));
        registry = Registry.builder()
                .accessController(AuthConfigurations.token(REALM, TestTokenServer.SERVICE, TestTokenServer.ISSUER,
                        bundle, Optional.empty()))
                .start();
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    private static HttpResponse<String> send(String method, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(registry.url().resolve(path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) request.header("Authorization", "Bearer " + token);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertRefused(String token, String why) throws Exception {
        HttpResponse<String> response = send("GET", PULL_PATH, token);
        assertEquals(401, response.statusCode(), why + ": " + response.body());
        assertEquals("Bearer realm=\"" + REALM + "\",service=\"registry.test\",scope=\"repository:team/app:pull\""
                + ",error=\"invalid_token\"", response.headers().firstValue("WWW-Authenticate").orElse(""), why);
    }

    @Test
    void withoutTokenTheChallengeNamesRealmServiceAndScope() throws Exception {
        HttpResponse<String> response = send("GET", PULL_PATH, null);
        assertEquals(401, response.statusCode());
        assertEquals("Bearer realm=\"" + REALM + "\",service=\"registry.test\",scope=\"repository:team/app:pull\"",
                response.headers().firstValue("WWW-Authenticate").orElse(""));
        assertEquals("Bearer realm=\"" + REALM + "\",service=\"registry.test\"",
                send("GET", "/v2/", null).headers().firstValue("WWW-Authenticate").orElse(""));
        assertEquals("Bearer realm=\"" + REALM + "\",service=\"registry.test\",scope=\"registry:catalog:*\"",
                send("GET", "/v2/_catalog", null).headers().firstValue("WWW-Authenticate").orElse(""));
    }

    @Test
    void acceptsRs256TokenWhoseX5cChainEndsAtTheRootBundle() throws Exception {
        String token = server.chainToken(TestTokenServer.claims("alice", "team/app", "pull"));
        assertEquals(404, send("GET", PULL_PATH, token).statusCode(), "authorized, repository unknown");
        assertEquals(200, send("GET", "/v2/", token).statusCode());
    }

    @Test
    void acceptsEs256TokenNamingTheRootKeyByLibtrustKeyId() throws Exception {
        String token = server.kidToken(TestTokenServer.claims("alice", "team/app", "pull", "push"));
        assertEquals(202, send("POST", "/v2/team/app/blobs/uploads/", token).statusCode());
    }

    @Test
    void acceptsKidAsJwkThumbprint() throws Exception {
        String kid = KeyIds.jwkThumbprint(server.caCert.getPublicKey()).orElseThrow();
        String token = TestTokenServer.sign(JwsAlgorithm.ES256, server.caKeys.getPrivate(), h -> h.put("kid", kid),
                TestTokenServer.claims("alice", "team/app", "pull"));
        assertEquals(404, send("GET", PULL_PATH, token).statusCode());
    }

    @Test
    void catalogNeedsTheRegistryCatalogScope() throws Exception {
        ObjectNode claims = TestTokenServer.claims("alice", "team/app", "pull");
        claims.withArray("access").addObject().put("type", "registry").put("name", "catalog").putArray("actions").add("*");
        HttpResponse<String> listed = send("GET", "/v2/_catalog", server.chainToken(claims));
        assertEquals(200, listed.statusCode(), listed.body());
        HttpResponse<String> refused = send("GET", "/v2/_catalog",
                server.chainToken(TestTokenServer.claims("alice", "team/app", "pull")));
        assertEquals(401, refused.statusCode());
        assertTrue(refused.headers().firstValue("WWW-Authenticate").orElse("")
                .endsWith("scope=\"registry:catalog:*\",error=\"insufficient_scope\""));
    }

    @Test
    void tooNarrowTokenIsAskedForTheMissingScope() throws Exception {
        String token = server.chainToken(TestTokenServer.claims("alice", "team/app", "pull"));
        HttpResponse<String> response = send("POST", "/v2/team/app/blobs/uploads/", token);
        assertEquals(401, response.statusCode());
        assertEquals("Bearer realm=\"" + REALM + "\",service=\"registry.test\",scope=\"repository:team/app:pull,push\""
                + ",error=\"insufficient_scope\"", response.headers().firstValue("WWW-Authenticate").orElse(""));
        String otherRepository = server.chainToken(TestTokenServer.claims("alice", "team/other", "pull"));
        assertEquals(401, send("GET", PULL_PATH, otherRepository).statusCode());
    }

    @Test
    void expiryAndNotBeforeAllowSixtySecondsOfLeeway() throws Exception {
        long now = Instant.now().getEpochSecond();
        ObjectNode recentlyExpired = TestTokenServer.claims("alice", "team/app", "pull").put("exp", now - 20);
        assertEquals(404, send("GET", PULL_PATH, server.chainToken(recentlyExpired)).statusCode());
        assertRefused(server.chainToken(TestTokenServer.claims("alice", "team/app", "pull").put("exp", now - 120)),
                "expired");
        assertRefused(server.chainToken(TestTokenServer.claims("alice", "team/app", "pull").put("nbf", now + 600)),
                "not yet valid");
        ObjectNode noExpiry = TestTokenServer.claims("alice", "team/app", "pull");
        noExpiry.remove("exp");
        assertRefused(server.chainToken(noExpiry), "no exp");
    }

    @Test
    void refusesWrongAudienceAndIssuer() throws Exception {
        assertRefused(server.chainToken(TestTokenServer.claims("alice", "team/app", "pull").put("aud", "other")),
                "audience");
        ObjectNode listed = TestTokenServer.claims("alice", "team/app", "pull");
        listed.putArray("aud").add("x").add(TestTokenServer.SERVICE);
        assertEquals(404, send("GET", PULL_PATH, server.chainToken(listed)).statusCode(), "aud as a list");
        assertRefused(server.chainToken(TestTokenServer.claims("alice", "team/app", "pull").put("iss", "evil")),
                "issuer");
    }

    @Test
    void refusesBadSignaturesAndUntrustedKeys() throws Exception {
        ObjectNode claims = TestTokenServer.claims("alice", "team/app", "pull");
        String good = server.chainToken(claims);
        String[] parts = good.split("\\.");
        // Claims changed after signing.
        ObjectNode widened = TestTokenServer.claims("alice", "team/app", "pull", "push", "delete");
        assertRefused(parts[0] + "." + TestTokenServer.b64(new com.fasterxml.jackson.databind.ObjectMapper()
                .writeValueAsBytes(widened)) + "." + parts[2], "tampered claims");
        // Signed by a key that is not the x5c leaf's.
        KeyPair other = TestTokenServer.generate("RSA");
        assertRefused(TestTokenServer.sign(JwsAlgorithm.RS256, other.getPrivate(),
                h -> h.putArray("x5c").add(TestTokenServer.x5c(server.signingCert)), claims), "wrong key");
        // A self-made CA the registry does not trust.
        KeyPair rogueKeys = TestTokenServer.generate("EC");
        X509Certificate rogue = TestTokenServer.certificate("CN=rogue", rogueKeys.getPublic(), "CN=rogue",
                rogueKeys.getPrivate(), true, Duration.ofDays(1));
        assertRefused(TestTokenServer.sign(JwsAlgorithm.ES256, rogueKeys.getPrivate(),
                h -> h.putArray("x5c").add(TestTokenServer.x5c(rogue)), claims), "untrusted chain");
        assertRefused(TestTokenServer.sign(JwsAlgorithm.ES256, rogueKeys.getPrivate(),
                h -> h.put("kid", KeyIds.libtrust(rogue.getPublicKey())), claims), "unknown kid");
        // alg none, HS256 and garbage.
        String none = TestTokenServer.b64("{\"alg\":\"none\"}".getBytes()) + "." + parts[1] + ".";
        assertRefused(none, "alg none");
        assertRefused(TestTokenServer.b64("{\"alg\":\"HS256\",\"kid\":\"x\"}".getBytes()) + "." + parts[1] + "." + parts[2],
                "HS256");
        for (String garbage : new String[] {"abc", "a.b.c", "....", "%%%.%%%.%%%", "e30.e30.", "W10.W10.AA"}) {
            assertRefused(garbage, garbage);
        }
        // ES256 signature bytes claimed as RS256 with the EC root key: key type must fit the alg.
        String kidToken = server.kidToken(claims);
        String[] kidParts = kidToken.split("\\.");
        String header = new String(java.util.Base64.getUrlDecoder().decode(kidParts[0])).replace("ES256", "RS256");
        assertRefused(TestTokenServer.b64(header.getBytes()) + "." + kidParts[1] + "." + kidParts[2], "alg/key mismatch");
    }

    @Test
    void basicCredentialsAreNotABearerToken() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(registry.url().resolve(PULL_PATH))
                .header("Authorization", "Basic YWxpY2U6czNjcmV0").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, response.statusCode());
        assertTrue(response.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer realm="));
        assertEquals(URI.create(REALM).getHost(), "auth.example.test");
    }
}
