package org.stevedore.launcher;

import java.util.List;
import org.stevedore.notifications.EndpointSettings;

/**
 * distribution's {@code notifications} section.
 *
 * @param endpoints         the enabled {@code endpoints}; disabled ones are left out, as distribution skips them
 * @param includeReferences {@code events.includereferences}
 */
record NotificationsConfig(List<EndpointSettings> endpoints, boolean includeReferences) {
    static final NotificationsConfig NONE = new NotificationsConfig(List.of(), false);

    NotificationsConfig {
        endpoints = List.copyOf(endpoints);
    }
}
