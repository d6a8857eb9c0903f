package org.stevedore.storage.tck;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.stevedore.storage.StorageDriver;

/**
 * For drivers that wrap another: a wrapper that inherits one of the SPI's default methods answers
 * with the default instead of the wrapped store's own answer (S3's single-listing catalog, its
 * presence cache), silently. Assert that {@link #inheritedMethods} is empty.
 */
public final class SpiForwarding {
    private SpiForwarding() {
    }

    /** The names of the {@link StorageDriver} methods {@code wrapper} does not declare itself. */
    public static List<String> inheritedMethods(Class<? extends StorageDriver> wrapper) {
        List<String> inherited = new ArrayList<>();
        for (Method method : StorageDriver.class.getMethods()) {
            if (Modifier.isStatic(method.getModifiers())) continue;
            try {
                wrapper.getDeclaredMethod(method.getName(), method.getParameterTypes());
            } catch (NoSuchMethodException e) {
                inherited.add(method.getName());
            }
        }
        return inherited;
    }
}
