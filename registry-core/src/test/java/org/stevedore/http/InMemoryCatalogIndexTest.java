package org.stevedore.http;

import org.stevedore.storage.StorageDriver;
import org.stevedore.storage.memory.InMemoryDriver;

/** Two registries over one in-memory store (directories implicit, as on S3); see {@link CatalogIndexScenario}. */
class InMemoryCatalogIndexTest extends CatalogIndexScenario {
    private final InMemoryDriver shared = InMemoryDriver.create();

    @Override
    protected StorageDriver newNodeDriver() {
        return shared;
    }
}
