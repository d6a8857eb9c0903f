package org.stevedore.junit5;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.stevedore.registry.Registry;

/** A static field: one registry for every test of the class, injectable everywhere. */
class StaticFieldTest {
    @RegisterExtension
    static final RegistryExtension REGISTRY = RegistryExtension.builder().build();

    private static final AtomicReference<Registry> SEEN = new AtomicReference<>();

    @BeforeAll
    static void pushOnce(Registry registry) {
        SEEN.set(registry);
        registry.fixtures().pushImage("static/app", "1", 16);
    }

    @Test
    void injectsTheSameRegistryThatBeforeAllGot(Registry registry) {
        assertSame(SEEN.get(), registry);
        assertEquals(List.of("static/app"), registry.contents().repositories(), "content survives between tests");
    }

    @Test
    void injectsAnInfoViewMatchingTheFieldsAccessors(RegistryInfo info) {
        assertEquals(REGISTRY.url(), info.url());
        assertEquals(REGISTRY.hostPort(), info.hostPort());
        assertEquals("127.0.0.1:" + info.port(), info.hostPort());
        assertSame(SEEN.get(), REGISTRY.registry());
    }

    @Test
    void answersOverHttp(RegistryInfo info) throws Exception {
        assertEquals(200, Http.status(info.url().resolve("/v2/static/app/manifests/1")));
    }
}
