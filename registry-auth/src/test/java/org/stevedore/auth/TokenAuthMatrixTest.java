package org.stevedore.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.stevedore.auth.AuthMatrix.Need;
import org.stevedore.auth.AuthMatrix.Request;
import org.stevedore.auth.AuthMatrix.Route;
import org.stevedore.auth.htpasswd.HtpasswdAuthenticator;
import org.stevedore.auth.htpasswd.HtpasswdSource;
import org.stevedore.auth.rules.AccessRules;
import org.stevedore.auth.token.Scopes;
import org.stevedore.auth.token.TokenAccessController;
import org.stevedore.auth.token.TokenEndpoint;
import org.stevedore.auth.token.TokenIssuer;
import org.stevedore.auth.token.TokenVerifier;
import org.stevedore.registry.Registry;

/**
 * The auth matrix for bearer tokens from the built-in token server: every route × every kind of
 * caller. Users get tokens as docker does (request, read the challenge, ask the realm for its
 * scope with Basic credentials); the endpoint refuses wrong passwords and unknown users; a token
 * that grants too little (another repository, pull only, a read-only user's) is 401
 * {@code insufficient_scope}; an expired or tampered token is 401 {@code invalid_token}, each with
 * the challenge naming the route's scope.
 */
class TokenAuthMatrixTest {
    private static final String SERVICE = "stevedore.matrix";
    private static final String ISSUER = "stevedore-matrix";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Who calls, and with what. */
    enum Caller {
        NO_CREDENTIALS, WRONG_PASSWORD, UNKNOWN_USER, READ_ONLY_USER, WRITER, ADMIN,
        TOKEN_FOR_OTHER_REPOSITORY, PULL_ONLY_TOKEN, EXPIRED_TOKEN, BAD_SIGNATURE
    }

    /** A clock the test can turn back, to have the token server issue tokens that are already expired. */
    private static final class ShiftedClock extends Clock {
        volatile Duration shift = Duration.ZERO;

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(shift);
        }
    }

    @org.junit.jupiter.api.io.TempDir
    static Path temp;
    private static final ShiftedClock CLOCK = new ShiftedClock();
    private static TokenIssuer issuer;
    private static String realm;
    private static Registry registry;
    private static AuthMatrix.Client client;
    private static AuthMatrix.Fixture fixture;

    @BeforeAll
    static void start() throws Exception {
        Path htpasswd = Htpasswd.write(temp.resolve("htpasswd"), AuthMatrix.USERS);
        AccessRules rules = AccessRules.load(Files.writeString(temp.resolve("rules.yml"), AuthMatrix.RULES));
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort(); // the realm names the registry's own port
        }
        realm = "http://127.0.0.1:" + port + "/auth/token";
        // Assembled by hand rather than by AuthConfigurations.builtInToken, for the clock.
        issuer = TokenIssuer.withNewKey(ISSUER, SERVICE, Duration.ofMinutes(5), CLOCK);
        TokenVerifier verifier = TokenVerifier.of(ISSUER, SERVICE, List.of()).trusting(issuer.keyId(), issuer.publicKey());
        TokenEndpoint endpoint = new TokenEndpoint(issuer, HtpasswdAuthenticator.over(HtpasswdSource.watch(htpasswd)),
                rules, SERVICE);
        registry = Registry.builder().port(port)
                .accessController(new TokenAccessController(verifier, realm, SERVICE, rules))
                .extraRoute("/auth/token", endpoint).start();
        client = new AuthMatrix.Client(registry.url());
        fixture = new AuthMatrix.Fixture(client, scope -> "Bearer " + token("admin", "admin-pw", scope).body()
                .transform(TokenAuthMatrixTest::tokenOf));
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    static Stream<Arguments> cells() {
        return AuthMatrix.routes().flatMap(route -> Stream.of(Caller.values()).map(caller -> Arguments.of(route, caller)));
    }

    /** GET realm?service=…&scope=… as docker sends it; {@code user} null: anonymous. */
    private static HttpResponse<String> token(String user, String password, String scope) {
        String query = "?service=" + URLEncoder.encode(SERVICE, StandardCharsets.UTF_8)
                + (scope.isEmpty() ? "" : "&scope=" + URLEncoder.encode(scope, StandardCharsets.UTF_8));
        return client.send(URI.create(realm + query), new Request("GET", "", null, null),
                user == null ? null : AuthHttp.basic(user, password));
    }

    private static String tokenOf(String body) {
        try {
            return JSON.readTree(body).path("token").asText();
        } catch (IOException e) {
            throw new AssertionError(body, e);
        }
    }

    private static String fetched(String user, String password, String scope) {
        HttpResponse<String> response = token(user, password, scope);
        assertEquals(200, response.statusCode(), response.body());
        return tokenOf(response.body());
    }

    private static String challenge(Route route, String error) {
        return "Bearer realm=\"" + realm + "\",service=\"" + SERVICE + "\""
                + (route.scope().isEmpty() ? "" : ",scope=\"" + route.scope() + "\"")
                + (error == null ? "" : ",error=\"" + error + "\"");
    }

    @ParameterizedTest(name = "{0} as {1}")
    @MethodSource("cells")
    void answersAsExpected(Route route, Caller caller) {
        String cell = route + " as " + caller;
        Request request = route.prepare().apply(fixture);
        // Every client starts like this: without a token, to learn realm, service and scope.
        HttpResponse<String> first = client.send(request, null);
        AuthMatrix.assertUnauthorized(first, challenge(route, null), cell + " (first request)");
        if (caller == Caller.NO_CREDENTIALS) return;
        if (caller == Caller.WRONG_PASSWORD || caller == Caller.UNKNOWN_USER) {
            HttpResponse<String> refused = caller == Caller.WRONG_PASSWORD
                    ? token("writer", "not-the-password", route.scope()) : token("mallory", "writer-pw", route.scope());
            AuthMatrix.assertUnauthorized(refused, "Basic realm=\"" + SERVICE + "\"", cell + " (token endpoint)");
            return;
        }
        HttpResponse<String> response = client.send(request, "Bearer " + tokenFor(caller, route));
        switch (caller) {
            case READ_ONLY_USER:
                expect(response, route, cell, route.need() == Need.PUSH || route.need() == Need.DELETE);
                break;
            case WRITER:
                expect(response, route, cell, route.need() == Need.DELETE);
                break;
            case ADMIN:
                expect(response, route, cell, false);
                break;
            case TOKEN_FOR_OTHER_REPOSITORY:
                expect(response, route, cell, route.need() != Need.BASE);
                break;
            case PULL_ONLY_TOKEN:
                expect(response, route, cell, route.need() != Need.BASE && !route.scope().equals(
                        "repository:" + AuthMatrix.REPOSITORY + ":pull"));
                break;
            default: // expired, bad signature
                AuthMatrix.assertUnauthorized(response, challenge(route, "invalid_token"), cell);
        }
    }

    private static void expect(HttpResponse<String> response, Route route, String cell, boolean tooNarrow) {
        if (tooNarrow) AuthMatrix.assertUnauthorized(response, challenge(route, "insufficient_scope"), cell);
        else AuthMatrix.assertSuccess(response, route, cell);
    }

    private static String tokenFor(Caller caller, Route route) {
        switch (caller) {
            case READ_ONLY_USER:
                return fetched("reader", "reader-pw", route.scope());
            case WRITER:
                return fetched("writer", "writer-pw", route.scope());
            case ADMIN:
                return fetched("admin", "admin-pw", route.scope());
            case TOKEN_FOR_OTHER_REPOSITORY:
                return fetched("admin", "admin-pw", "repository:team/other:pull,push,delete");
            case PULL_ONLY_TOKEN:
                return fetched("writer", "writer-pw", "repository:" + AuthMatrix.REPOSITORY + ":pull");
            case EXPIRED_TOKEN:
                // Issued an hour ago for exactly the route's scope: only its age is wrong.
                CLOCK.shift = Duration.ofHours(-1);
                try {
                    return issuer.issue(Optional.of("admin"), Scopes.parse(route.scope())).token();
                } finally {
                    CLOCK.shift = Duration.ZERO;
                }
            default: {
                String good = fetched("admin", "admin-pw", route.scope());
                int dot = good.lastIndexOf('.');
                // Flip one character of the signature: same header and claims, signature no longer matches.
                char c = good.charAt(dot + 5);
                return good.substring(0, dot + 5) + (c == 'A' ? 'B' : 'A') + good.substring(dot + 6);
            }
        }
    }
}
