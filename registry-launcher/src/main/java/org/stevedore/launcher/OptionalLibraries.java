package org.stevedore.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.stevedore.storage.StorageDriverFactory;

/**
 * Libraries the packaged server keeps out of its class path: {@code lib/NAME/*.jar} beside the
 * launcher's jar (today {@code lib/s3/}: registry-storage-s3 and the AWS SDK). A JVM keeps the
 * central directory of every jar it opens on the heap as long as it runs (in the one shaded jar,
 * the S3 libraries' 6,400 entries took 0.8 MiB), and builds it on the main thread at start; a
 * filesystem registry never needs them. So they are opened, by a class loader of their own whose parent is the launcher's,
 * only when the configuration names them. The loader lives as long as the JVM: the driver it
 * loaded is used to the end.
 */
final class OptionalLibraries {
    private static final Map<String, Optional<ClassLoader>> LOADERS = new ConcurrentHashMap<>();

    private OptionalLibraries() {
    }

    /** The {@link StorageDriverFactory} named {@code name} that {@code loader} sees, if any. */
    static Optional<StorageDriverFactory> factory(ClassLoader loader, String name) {
        return ServiceLoader.load(StorageDriverFactory.class, loader).stream().map(ServiceLoader.Provider::get)
                .filter(factory -> factory.name().equals(name)).findFirst();
    }

    /** A loader over {@code lib/NAME/*.jar}, made on first use; empty when there is no such directory. */
    static Optional<ClassLoader> loader(String name) {
        return LOADERS.computeIfAbsent(name, OptionalLibraries::open);
    }

    /** Where the libraries of {@code name} are looked for: {@code NAME/} beside the launcher's jar. */
    static Path directory(String name) {
        CodeSource source = OptionalLibraries.class.getProtectionDomain().getCodeSource();
        try {
            Path location = source == null ? Path.of("") : Path.of(source.getLocation().toURI());
            return (Files.isDirectory(location) ? location : location.toAbsolutePath().getParent()).resolve(name);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("the launcher's location is not a file: " + source.getLocation(), e);
        }
    }

    private static Optional<ClassLoader> open(String name) {
        Path directory = directory(name);
        if (!Files.isDirectory(directory)) return Optional.empty();
        List<URL> jars = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path jar : files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList()) {
                jars.add(jar.toUri().toURL());
            }
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
        return Optional.of(new URLClassLoader("stevedore-" + name, jars.toArray(URL[]::new),
                OptionalLibraries.class.getClassLoader()));
    }
}
