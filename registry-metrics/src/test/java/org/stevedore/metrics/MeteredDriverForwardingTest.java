package org.stevedore.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.stevedore.storage.tck.SpiForwarding;

/** The metrics wrapper forwards every SPI method (see {@link SpiForwarding}). */
class MeteredDriverForwardingTest {
    @Test
    void declaresEveryMethodOfTheStorageSpi() {
        assertEquals(List.of(), SpiForwarding.inheritedMethods(MeteredDriver.class));
    }
}
