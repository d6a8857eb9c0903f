package org.stevedore.storage.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.stevedore.storage.StorageDriver;
import org.stevedore.storage.memory.InMemoryDriver;

/** The shared storage contract, on the in-memory driver. */
class InMemoryDriverContractTest extends StorageDriverContract {

    @Override
    protected StorageDriver newDriver() {
        return InMemoryDriver.create();
    }

    @Test
    void isNamedInmemory() {
        assertEquals("inmemory", driver.name());
    }
}
