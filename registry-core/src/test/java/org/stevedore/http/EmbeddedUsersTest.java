package org.stevedore.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.stevedore.http.RegistryClient.basic;
import static org.stevedore.http.RegistryClient.header;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.stevedore.registry.Registry;

/** {@code Registry.builder().users(...)}: Basic authentication for embedded test registries. */
class EmbeddedUsersTest {
    private static Registry registry;
    private static RegistryClient client;

    @BeforeAll
    static void start() {
        registry = Registry.builder().users(Map.of("ci", "s3cret", "bot", "pa:ss")).start();
        client = new RegistryClient(registry);
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    @Test
    void asksForBasicCredentials() {
        var response = client.get("/v2/");
        RegistryClient.assertError(response, 401, "UNAUTHORIZED");
        assertEquals("Basic realm=\"Stevedore\"", header(response, "WWW-Authenticate"));
    }

    @Test
    void acceptsEveryConfiguredUser() {
        assertEquals(200, client.get("/v2/", "Authorization", basic("ci", "s3cret")).statusCode());
        assertEquals(200, client.get("/v2/", "Authorization", basic("bot", "pa:ss")).statusCode(), "colon in password");
    }

    @Test
    void refusesWrongPasswordsUnknownUsersAndGarbage() {
        for (String header : new String[] {basic("ci", "wrong"), basic("nobody", "s3cret"), basic("ci", ""),
                "Basic !!!", "Bearer token", "Basic " + java.util.Base64.getEncoder().encodeToString(new byte[] {'x'})}) {
            RegistryClient.assertError(client.get("/v2/", "Authorization", header), 401, "UNAUTHORIZED");
        }
    }

    @Test
    void rejectsUnusableUserTables() {
        assertThrows(IllegalArgumentException.class, () -> Registry.builder().users(Map.of()));
        assertThrows(IllegalArgumentException.class, () -> Registry.builder().users(Map.of("a:b", "x")));
        assertThrows(IllegalArgumentException.class, () -> Registry.builder().users(Map.of("", "x")));
    }
}
