package org.stevedore.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.stevedore.registry.Registry;

/** Users given in code, as an embedded test registry uses them. */
class HtpasswdAuthTest {
    @Test
    void oneUserInCode() {
        try (Registry registry = Registry.builder().accessController(HtpasswdAuth.withUser("ci", "s3cret")).start()) {
            AuthHttp http = new AuthHttp(registry);
            assertEquals(401, http.get("/v2/", null).statusCode());
            assertEquals("Basic realm=\"Stevedore\"", http.get("/v2/", null).headers().firstValue("WWW-Authenticate").orElse(""));
            assertEquals(401, http.get("/v2/", AuthHttp.basic("ci", "wrong")).statusCode());
            assertEquals(200, http.get("/v2/", AuthHttp.basic("ci", "s3cret")).statusCode());
        }
    }

    @Test
    void severalUsersInCode() {
        try (Registry registry = Registry.builder()
                .accessController(HtpasswdAuth.withUsers("Test", Map.of("a", "1", "b", "2"))).start()) {
            AuthHttp http = new AuthHttp(registry);
            assertEquals(200, http.get("/v2/_catalog", AuthHttp.basic("a", "1")).statusCode());
            assertEquals(200, http.get("/v2/_catalog", AuthHttp.basic("b", "2")).statusCode());
            assertEquals(401, http.get("/v2/_catalog", AuthHttp.basic("a", "2")).statusCode());
        }
    }
}
