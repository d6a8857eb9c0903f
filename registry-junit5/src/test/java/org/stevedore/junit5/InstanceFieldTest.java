package org.stevedore.junit5;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.stevedore.registry.Registry;

/** An instance field: a fresh registry per test, closed when the test ends. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InstanceFieldTest {
    /** The port the first test's registry used (test bookkeeping, not extension state). */
    private static final AtomicInteger FIRST_PORT = new AtomicInteger();

    @RegisterExtension
    final RegistryExtension registry = RegistryExtension.builder().build();

    @Test
    @Order(1)
    void firstTestGetsAnEmptyRegistry(Registry injected) {
        assertSame(registry.registry(), injected);
        FIRST_PORT.set(injected.port());
        injected.fixtures().pushImage("instance/app", "1", 8);
        assertEquals(List.of("instance/app"), injected.contents().repositories());
    }

    @Test
    @Order(2)
    void secondTestGetsAnotherOneAndTheFirstIsClosed(Registry injected) {
        assertNotEquals(FIRST_PORT.get(), injected.port());
        assertEquals(List.of(), injected.contents().repositories());
        assertFalse(Http.listening(FIRST_PORT.get()), "the first test's registry was closed");
    }
}
