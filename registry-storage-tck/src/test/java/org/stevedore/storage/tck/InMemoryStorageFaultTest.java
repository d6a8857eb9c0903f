package org.stevedore.storage.tck;

import org.stevedore.storage.StorageDriver;
import org.stevedore.storage.memory.InMemoryDriver;

/** The registry over a failing in-memory driver. */
class InMemoryStorageFaultTest extends StorageFaultContract {

    @Override
    protected StorageDriver newDriver() {
        return InMemoryDriver.create();
    }

    @Override
    protected int defaultSeeds() {
        return 30;
    }
}
