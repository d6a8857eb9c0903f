package org.stevedore.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A wrapper that inherits one of the SPI's default methods answers with the default instead of
 * the wrapped store's own answer (S3's single-listing catalog, its presence cache), silently.
 */
class CheckedDriverForwardingTest {
    @Test
    void declaresEveryMethodOfTheStorageSpi() {
        List<String> inherited = new ArrayList<>();
        for (Method method : StorageDriver.class.getMethods()) {
            if (Modifier.isStatic(method.getModifiers())) continue;
            try {
                CheckedDriver.class.getDeclaredMethod(method.getName(), method.getParameterTypes());
            } catch (NoSuchMethodException e) {
                inherited.add(method.getName());
            }
        }
        assertEquals(List.of(), inherited);
    }
}
