package org.stevedore.launcher;

import java.util.Optional;
import org.stevedore.notifications.Notifier;
import org.stevedore.notifications.NotifierSettings;

/** The {@link Notifier} for a configuration's {@code notifications.endpoints}, if it has enabled ones. */
final class ConfiguredNotifications {
    private ConfiguredNotifications() {
    }

    /** A started notifier the caller hands to the registry builder (observer and closing), then attaches. */
    static Optional<Notifier> notifier(RegistryConfig config) {
        NotificationsConfig notifications = config.notifications();
        if (notifications.endpoints().isEmpty()) return Optional.empty();
        HttpConfig http = config.http();
        // target.url is built as distribution's URL builder does: http.host if set, else the request's Host.
        NotifierSettings settings = NotifierSettings.of(notifications.endpoints())
                .withIncludeReferences(notifications.includeReferences())
                .withBaseUrl(http.host(), http.tls().isPresent() ? "https" : "http")
                .withSource(Optional.empty(), 0); // the bound port, known once the registry started
        return Optional.of(Notifier.start(settings));
    }
}
