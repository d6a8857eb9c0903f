package org.stevedore.http;

import org.stevedore.storage.StorageDriver;
import org.stevedore.storage.memory.InMemoryDriver;

/** {@link RepushScenario} over the in-memory store. */
class InMemoryRepushTest extends RepushScenario {
    @Override
    protected StorageDriver newDriver() {
        return InMemoryDriver.create();
    }
}
