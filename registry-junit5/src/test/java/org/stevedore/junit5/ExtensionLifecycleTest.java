package org.stevedore.junit5;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.stevedore.registry.Registry;

/**
 * Runs sample test classes through the JUnit engine, so what happens after them can be checked:
 * JUnit closes every registry the extension started, and classes running in parallel each get
 * their own registry.
 */
class ExtensionLifecycleTest {

    @Test
    void junitClosesThePerClassRegistryAfterTheClass() {
        PerClass.SEEN.clear();
        EngineExecutionResults results = run(false, PerClass.class);
        results.testEvents().assertStatistics(stats -> stats.started(3).succeeded(3));
        Set<Registry> seen = Set.copyOf(PerClass.SEEN);
        assertEquals(1, seen.size(), "one registry for the class");
        assertFalse(Http.listening(seen.iterator().next().port()), "closed after the class");
    }

    @Test
    void junitClosesEachPerTestRegistry() {
        PerTest.SEEN.clear();
        EngineExecutionResults results = run(false, PerTest.class);
        results.testEvents().assertStatistics(stats -> stats.started(3).succeeded(3));
        Set<Integer> ports = PerTest.SEEN.stream().map(Registry::port).collect(Collectors.toSet());
        assertEquals(3, ports.size(), "one registry per test");
        for (int port : ports) assertFalse(Http.listening(port), "port " + port + " closed");
    }

    @Test
    void parallelClassesGetTheirOwnRegistries() {
        List<Class<?>> classes = List.of(ParallelA.class, ParallelB.class, ParallelC.class, ParallelD.class);
        Parallel.SEEN.clear();
        EngineExecutionResults results = run(true, classes.toArray(Class<?>[]::new));
        results.testEvents().assertStatistics(stats -> stats.started(8).succeeded(8));
        Set<Integer> ports = Parallel.SEEN.stream().map(Registry::port).collect(Collectors.toSet());
        assertEquals(4, ports.size(), "one registry per class");
        for (int port : ports) assertFalse(Http.listening(port), "port " + port + " closed");
    }

    private static EngineExecutionResults run(boolean parallel, Class<?>... classes) {
        var kit = EngineTestKit.engine("junit-jupiter")
                .configurationParameter("junit.jupiter.execution.parallel.enabled", String.valueOf(parallel))
                .configurationParameter("junit.jupiter.execution.parallel.mode.default", "same_thread")
                .configurationParameter("junit.jupiter.execution.parallel.mode.classes.default", "concurrent");
        for (Class<?> type : classes) kit = kit.selectors(selectClass(type));
        return kit.execute();
    }

    static class PerClass {
        static final Queue<Registry> SEEN = new ConcurrentLinkedQueue<>();

        @RegisterExtension
        static final RegistryExtension REGISTRY = RegistryExtension.builder().build();

        @Test
        void one(Registry registry) {
            SEEN.add(registry);
        }

        @Test
        void two(Registry registry) {
            SEEN.add(registry);
        }

        @Test
        void three() {
            SEEN.add(REGISTRY.registry());
        }
    }

    static class PerTest {
        static final Queue<Registry> SEEN = new ConcurrentLinkedQueue<>();

        @RegisterExtension
        final RegistryExtension registry = RegistryExtension.builder().build();

        @Test
        void one(Registry injected) {
            SEEN.add(injected);
        }

        @Test
        void two(Registry injected) {
            SEEN.add(injected);
        }

        @Test
        void three() {
            SEEN.add(registry.registry());
        }
    }

    /** Each class pushes under its own name and must see only that, while the others run concurrently. */
    abstract static class Parallel {
        static final Queue<Registry> SEEN = new ConcurrentLinkedQueue<>();

        @RegisterExtension
        static final RegistryExtension REGISTRY = RegistryExtension.builder().resetBetweenTests(true).build();

        @Test
        void pushesAndSeesOnlyItsOwnRepository(Registry registry) {
            SEEN.add(registry);
            String name = "parallel/" + getClass().getSimpleName().toLowerCase();
            registry.fixtures().pushImage(name, "1", 1024, 1024);
            assertEquals(List.of(name), registry.contents().repositories());
        }

        @Test
        void startsEmptyAgain(Registry registry) {
            SEEN.add(registry);
            String name = "parallel/" + getClass().getSimpleName().toLowerCase() + "/again";
            registry.fixtures().pushImage(name, "1", 16);
            assertEquals(List.of(name), registry.contents().repositories());
        }
    }

    static class ParallelA extends Parallel {
    }

    static class ParallelB extends Parallel {
    }

    static class ParallelC extends Parallel {
    }

    static class ParallelD extends Parallel {
    }
}
