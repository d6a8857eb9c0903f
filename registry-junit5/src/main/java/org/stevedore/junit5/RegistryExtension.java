package org.stevedore.junit5;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.stevedore.images.ImageArchives;
import org.stevedore.registry.Registry;
import org.stevedore.registry.RegistryBuilder;
import org.stevedore.tls.SelfSignedTls;

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
 *   <li>With {@link Builder#preload} each registry starts holding real images, imported from
 *       OCI layouts or {@code docker save} archives (again after each reset).</li>
 *   <li>With {@link Builder#selfSignedTls()} the registries serve HTTPS; {@link #tls()} and
 *       {@link RegistryInfo#tls()} give the CA certificate and a client {@code SSLContext}.</li>
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
    private final SelfSignedTls tls;
    private final List<Preload> preloads;
    /** The registry started last, for {@link #url()}; the store owns and closes it. */
    private volatile Registry current;

    private RegistryExtension(RegistryBuilder registry, boolean resetBetweenTests, SelfSignedTls tls,
                              List<Preload> preloads) {
        this.registry = registry;
        this.resetBetweenTests = resetBetweenTests;
        this.tls = tls;
        this.preloads = List.copyOf(preloads);
    }

    /** An image archive to import into every registry this extension starts, and again after each reset. */
    private record Preload(Path source, String repository, String tag) {
        void into(Registry registry) {
            try {
                ImageArchives.of(registry).importImage(source, repository, tag);
            } catch (IOException e) {
                throw new UncheckedIOException("preloading " + source + " as " + repository + ":" + tag + " failed", e);
            }
        }
    }

    /** A builder: in-memory storage, any free port, loopback, no auth, no reset between tests. */
    public static Builder builder() {
        return new Builder(Registry.builder(), false, null, List.of());
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        current = start(context);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        Registry perClass = context.getStore(NAMESPACE).get(this, Registry.class);
        if (perClass != null) {
            if (resetBetweenTests) {
                perClass.reset();
                for (Preload preload : preloads) preload.into(perClass);
            }
            return;
        }
        current = start(context);
    }

    private Registry start(ExtensionContext context) {
        Registry started = registry.start();
        // Registry is AutoCloseable: JUnit closes it when this context's store is closed.
        context.getStore(NAMESPACE).put(this, started);
        for (Preload preload : preloads) preload.into(started);
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
        return parameter.getParameter().getType() == Registry.class ? running : info(running, tls());
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

    /** The CA and client context of the registries' HTTPS, if {@link Builder#selfSignedTls()} asked for it. */
    public Optional<SelfSignedTls> tls() {
        return Optional.ofNullable(tls);
    }

    private static RegistryInfo info(Registry registry, Optional<SelfSignedTls> tls) {
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
            public Optional<SelfSignedTls> tls() {
                return tls;
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
        private final SelfSignedTls tls;
        private final List<Preload> preloads;

        private Builder(RegistryBuilder registry, boolean resetBetweenTests, SelfSignedTls tls, List<Preload> preloads) {
            this.registry = registry;
            this.resetBetweenTests = resetBetweenTests;
            this.tls = tls;
            this.preloads = List.copyOf(preloads);
        }

        /** Any registry configuration (storage, TLS, access control, limits); replaces earlier settings. */
        public Builder registry(RegistryBuilder registry) {
            return new Builder(Objects.requireNonNull(registry, "registry"), resetBetweenTests, tls, preloads);
        }

        /** Basic authentication with these users (name to password); see {@link RegistryBuilder#users}. */
        public Builder users(Map<String, String> users) {
            return new Builder(registry.users(users), resetBetweenTests, tls, preloads);
        }

        /**
         * With a static field, empty storage, events and faults before each test instead of
         * keeping what earlier tests pushed; cheaper than a registry per test. Default false.
         */
        public Builder resetBetweenTests(boolean reset) {
            return new Builder(registry, reset, tls, preloads);
        }

        /**
         * Serve HTTPS with a new private CA ({@link SelfSignedTls#forLoopback()}, made now, shared
         * by every registry this extension starts); {@code url()} becomes {@code https://}.
         */
        public Builder selfSignedTls() {
            return selfSignedTls(SelfSignedTls.forLoopback());
        }

        /** Serve HTTPS with this CA's server certificate, e.g. one a test class made first. */
        public Builder selfSignedTls(SelfSignedTls tls) {
            return new Builder(registry, resetBetweenTests, Objects.requireNonNull(tls, "tls"), preloads);
        }

        /**
         * Import the image in {@code source} (an OCI layout directory or tar, or a {@code docker
         * save} archive; see {@link ImageArchives#importImage}) as {@code repository:tag} into each
         * registry started, and again after each reset: real base images without a network.
         */
        public Builder preload(Path source, String repository, String tag) {
            List<Preload> more = new ArrayList<>(preloads);
            more.add(new Preload(Objects.requireNonNull(source, "source"), repository, tag));
            return new Builder(registry, resetBetweenTests, tls, more);
        }

        public RegistryExtension build() {
            // Applied last, so a later registry(...) does not drop it.
            RegistryBuilder configured = tls == null ? registry : registry.tls(tls.serverContext());
            return new RegistryExtension(configured, resetBetweenTests, tls, preloads);
        }
    }
}
