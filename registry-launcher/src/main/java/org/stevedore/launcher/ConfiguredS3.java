package org.stevedore.launcher;

import java.util.Map;
import java.util.Optional;
import org.stevedore.storage.StorageDriver;
import org.stevedore.storage.StorageDriverFactory;

/**
 * The {@link S3StorageFactory} of the real server: distribution's {@code storage.s3} on
 * registry-storage-s3, found by its {@link StorageDriverFactory} on the class path (the
 * {@code java -jar} jar, tests) or else in the optional libraries beside the launcher's jar
 * ({@link OptionalLibraries}: the packaged server's {@code lib/s3/}), loaded only now.
 */
final class ConfiguredS3 implements S3StorageFactory {
    private static final String NAME = "s3";

    @Override
    public StorageDriver create(Map<String, Object> parameters, boolean redirectDisabled) {
        StorageDriverFactory factory = find().orElseThrow(() -> new ConfigException(
                "storage.s3 is configured, but this installation has no S3 driver (" + OptionalLibraries.directory(NAME)
                        + " is missing); use storage.filesystem or storage.inmemory"));
        try {
            // The driver owns pooled HTTP connections and threads; RegistryServer.close releases them.
            return factory.create(parameters, redirectDisabled);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("storage.s3: " + e.getMessage());
        }
    }

    private static Optional<StorageDriverFactory> find() {
        Optional<StorageDriverFactory> onClassPath = OptionalLibraries.factory(ConfiguredS3.class.getClassLoader(), NAME);
        return onClassPath.isPresent() ? onClassPath
                : OptionalLibraries.loader(NAME).flatMap(loader -> OptionalLibraries.factory(loader, NAME));
    }
}
