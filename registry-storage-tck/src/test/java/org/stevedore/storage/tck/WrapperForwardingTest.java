package org.stevedore.storage.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.stevedore.storage.CheckedDriver;

/** The wrappers of core and of this module forward every SPI method (see {@link SpiForwarding}). */
class WrapperForwardingTest {
    @Test
    void checkedDriverDeclaresEveryMethodOfTheStorageSpi() {
        assertEquals(List.of(), SpiForwarding.inheritedMethods(CheckedDriver.class));
    }

    @Test
    void faultyDriverDeclaresEveryMethodOfTheStorageSpi() {
        assertEquals(List.of(), SpiForwarding.inheritedMethods(FaultyDriver.class));
    }
}
