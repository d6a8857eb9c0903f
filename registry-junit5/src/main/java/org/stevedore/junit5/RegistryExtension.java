package org.stevedore.junit5;

import java.net.URI;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.stevedore.registry.Registry;
import org.stevedore.registry.RegistryBuilder;

/**
 * An embedded OCI registry for JUnit 5 tests, registered with {@code @RegisterExtension}:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final RegistryExtension REGISTRY = RegistryExtension.builder().build();
 *
 * @Test
 * void pushes(RegistryInfo registry) {      // or Registry, for events(), faults(), fixtures()
 *     String image = registry.hostPort() + "/demo/app:1";
 * }
 * }</pre>
 *
 * <ul>
 *   <li>A {@code static} field gives one registry per test class, started before all its tests;
 *       with {@link Builder#resetBetweenTests(boolean)} its storage, events and faults are
 *       emptied before each test instead of restarting it.</li>
 *   <li>An instance field gives a new registry for each test.</li>
 *   <li>Test and lifecycle methods may declare a {@link Registry} or {@link RegistryInfo}
 *       parameter to get the registry of the current test.</li>
 * </ul>
 *
 * The running registry lives in JUnit's extension store, which closes it when its class or test
 * ends; the extension holds no static state, so test classes may run in parallel. {@link #url()}
 * and {@link #hostPort()} name the registry this extension started last: with methods of one
 * class running concurrently on an instance-field extension, prefer the injected parameter.
 * Published API.
 */
public final class RegistryExtension implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RegistryExtension.class);

    private final RegistryBuilder registry;
    private final boolean resetBetweenTests;
    /** The registry started last, for {@link #url()}; the store owns and closes it. */
    private volatile Registry current;

    private RegistryExtension(RegistryBuilder registry, boolean resetBetweenTests) {
        this.registry = registry;
        this.resetBetweenTests = resetBetweenTests;
    }

    /** A builder: in-memory storage, any free port, loopback, no auth, no reset between tests. */
    public static Builder builder() {
        return new Builder(Registry.builder(), false);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        current = start(context);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        Registry perClass = context.getStore(NAMESPACE).get(this, Registry.class);
        if (perClass != null) {
            if (resetBetweenTests) perClass.reset();
            return;
        }
        current = start(context);
    }

    private Registry start(ExtensionContext context) {
        Registry started = registry.start();
        // Registry is AutoCloseable: JUnit closes it when this context's store is closed.
        context.getStore(NAMESPACE).put(this, started);
        return started;
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == Registry.class || type == RegistryInfo.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Registry running = context.getStore(NAMESPACE).get(this, Registry.class);
        if (running == null) {
            throw new ParameterResolutionException("no registry is running yet: a static RegistryExtension field"
                    + " starts one before all tests, an instance field one before each test");
        }
        return parameter.getParameter().getType() == Registry.class ? running : info(running);
    }

    /** The running registry (the one started last). */
    public Registry registry() {
        Registry running = current;
        if (running == null) throw new IllegalStateException("the registry is not started yet");
        return running;
    }

    /** The base URL of the running registry, e.g. {@code http://127.0.0.1:49321}. */
    public URI url() {
        return registry().url();
    }

    /** {@code host:port} of the running registry, for image references. */
    public String hostPort() {
        return registry().hostPort();
    }

    private static RegistryInfo info(Registry registry) {
        return new RegistryInfo() {
            @Override
            public URI url() {
                return registry.url();
            }

            @Override
            public String hostPort() {
                return registry.hostPort();
            }

            @Override
            public int port() {
                return registry.port();
            }

            @Override
            public String toString() {
                return "RegistryInfo[" + registry.url() + "]";
            }
        };
    }

    /** Configuration of a {@link RegistryExtension}; immutable, each setter returns a new builder. */
    public static final class Builder {
        private final RegistryBuilder registry;
        private final boolean resetBetweenTests;

        private Builder(RegistryBuilder registry, boolean resetBetweenTests) {
            this.registry = registry;
            this.resetBetweenTests = resetBetweenTests;
        }

        /** Any registry configuration (storage, TLS, access control, limits); replaces earlier settings. */
        public Builder registry(RegistryBuilder registry) {
            return new Builder(Objects.requireNonNull(registry, "registry"), resetBetweenTests);
        }

        /** Basic authentication with these users (name to password); see {@link RegistryBuilder#users}. */
        public Builder users(Map<String, String> users) {
            return new Builder(registry.users(users), resetBetweenTests);
        }

        /**
         * With a static field, empty storage, events and faults before each test instead of
         * keeping what earlier tests pushed; cheaper than a registry per test. Default false.
         */
        public Builder resetBetweenTests(boolean reset) {
            return new Builder(registry, reset);
        }

        public RegistryExtension build() {
            return new RegistryExtension(registry, resetBetweenTests);
        }
    }
}
