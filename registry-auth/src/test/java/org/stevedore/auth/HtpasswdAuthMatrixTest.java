package org.stevedore.auth;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.stevedore.auth.AuthMatrix.Need;
import org.stevedore.auth.AuthMatrix.Route;
import org.stevedore.registry.Registry;

/**
 * The auth matrix for Basic auth with access rules: every route × every kind of caller, each
 * answered as distribution answers it: 401 with the Basic challenge for missing or wrong
 * credentials (an unknown user too), 403 {@code DENIED} for a known user the rules do not allow,
 * the route's own success status otherwise.
 */
class HtpasswdAuthMatrixTest {
    private static final String CHALLENGE = "Basic realm=\"Registry Realm\"";

    /** Who calls. */
    enum Caller {
        NO_CREDENTIALS(null),
        WRONG_PASSWORD(AuthHttp.basic("writer", "not-the-password")),
        UNKNOWN_USER(AuthHttp.basic("mallory", "writer-pw")),
        READ_ONLY_USER(AuthHttp.basic("reader", "reader-pw")),
        WRITER(AuthHttp.basic("writer", "writer-pw")),
        ADMIN(AuthHttp.basic("admin", "admin-pw"));

        final String authorization;

        Caller(String authorization) {
            this.authorization = authorization;
        }
    }

    @org.junit.jupiter.api.io.TempDir
    static Path temp;
    private static Registry registry;
    private static AuthMatrix.Client client;
    private static AuthMatrix.Fixture fixture;

    @BeforeAll
    static void start() throws Exception {
        Path htpasswd = Htpasswd.write(temp.resolve("htpasswd"), AuthMatrix.USERS);
        Path rules = Files.writeString(temp.resolve("rules.yml"), AuthMatrix.RULES);
        registry = Registry.builder()
                .accessController(AuthConfigurations.htpasswd(htpasswd, "Registry Realm", Optional.of(rules)))
                .start();
        client = new AuthMatrix.Client(registry.url());
        fixture = new AuthMatrix.Fixture(client, scope -> Caller.ADMIN.authorization);
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    static Stream<Arguments> cells() {
        return AuthMatrix.routes().flatMap(route -> Stream.of(Caller.values()).map(caller -> Arguments.of(route, caller)));
    }

    @ParameterizedTest(name = "{0} as {1}")
    @MethodSource("cells")
    void answersAsExpected(Route route, Caller caller) {
        String cell = route + " as " + caller;
        HttpResponse<String> response = client.send(route.prepare().apply(fixture), caller.authorization);
        switch (caller) {
            case NO_CREDENTIALS:
            case WRONG_PASSWORD:
            case UNKNOWN_USER:
                AuthMatrix.assertUnauthorized(response, CHALLENGE, cell);
                break;
            case READ_ONLY_USER:
                if (route.need() == Need.PUSH || route.need() == Need.DELETE) AuthMatrix.assertDenied(response, cell);
                else AuthMatrix.assertSuccess(response, route, cell);
                break;
            case WRITER:
                if (route.need() == Need.DELETE) AuthMatrix.assertDenied(response, cell);
                else AuthMatrix.assertSuccess(response, route, cell);
                break;
            default:
                AuthMatrix.assertSuccess(response, route, cell);
        }
    }
}
