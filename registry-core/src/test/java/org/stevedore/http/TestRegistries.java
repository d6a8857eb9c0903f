package org.stevedore.http;

import java.util.function.Supplier;
import org.stevedore.registry.Registry;
import org.stevedore.registry.RegistryBuilder;
import org.stevedore.storage.StorageDriver;

/**
 * Registry builders for the HTTP suite: in-memory storage, unless the system property
 * {@code stevedore.test.storage} names a public {@code Supplier<StorageDriver>} class. A storage
 * module (S3) runs this whole suite over its own driver that way, from registry-core's test jar.
 */
final class TestRegistries {
    private TestRegistries() {
    }

    static RegistryBuilder builder() {
        String factory = System.getProperty("stevedore.test.storage", "");
        if (factory.isBlank()) return Registry.builder();
        try {
            @SuppressWarnings("unchecked")
            Supplier<StorageDriver> storage = (Supplier<StorageDriver>) Class.forName(factory).getDeclaredConstructor().newInstance();
            return Registry.builder().storage(storage.get());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("stevedore.test.storage: cannot create " + factory, e);
        }
    }
}
