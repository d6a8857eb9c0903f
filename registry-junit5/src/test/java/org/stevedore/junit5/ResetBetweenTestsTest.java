package org.stevedore.junit5;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.stevedore.registry.Registry;

/** {@code resetBetweenTests(true)}: one server for the class, emptied before each test. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ResetBetweenTestsTest {
    @RegisterExtension
    static final RegistryExtension REGISTRY = RegistryExtension.builder().resetBetweenTests(true).build();

    private static final AtomicInteger PORT = new AtomicInteger();

    @Test
    @Order(1)
    void leavesContentEventsAndFaultsBehind(Registry registry) throws Exception {
        PORT.set(registry.port());
        registry.fixtures().pushImage("reset/app", "1", 8);
        assertEquals(200, Http.status(registry.url().resolve("/v2/reset/app/manifests/1")));
        registry.faults().failNext(3, "*", "/", 500);
        assertEquals(1, registry.events().all().size());
    }

    @Test
    @Order(2)
    void findsTheSameServerEmpty(Registry registry) throws Exception {
        assertEquals(PORT.get(), registry.port(), "same server");
        assertEquals(List.of(), registry.contents().repositories());
        assertEquals(List.of(), registry.events().all());
        assertEquals(0, registry.faults().pending());
        assertEquals(404, Http.status(registry.url().resolve("/v2/reset/app/manifests/1")));
    }
}
