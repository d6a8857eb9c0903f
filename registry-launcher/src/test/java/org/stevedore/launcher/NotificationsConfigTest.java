package org.stevedore.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stevedore.notifications.Action;
import org.stevedore.notifications.EndpointSettings;

/** distribution's {@code notifications} section, from the file and from {@code REGISTRY_NOTIFICATIONS_*}. */
class NotificationsConfigTest {
    @TempDir
    Path temp;

    @Test
    void readsEveryEndpointSettingOfDistribution() throws IOException {
        ConfigLoader.Loaded loaded = load("""
                version: 0.1
                notifications:
                  events:
                    includereferences: true
                  endpoints:
                    - name: alistener
                      disabled: false
                      url: https://my.listener.com/event
                      headers:
                        Authorization: [Bearer hook-token]
                        X-Team: platform
                      timeout: 500ms
                      threshold: 5
                      backoff: 1s
                      ignoredmediatypes:
                        - application/octet-stream
                      ignore:
                        mediatypes:
                           - application/vnd.oci.image.index.v1+json
                        actions:
                           - pull
                      queuesize: 50
                    - name: off
                      disabled: true
                      url: not even checked
                """, Map.of());
        NotificationsConfig notifications = loaded.config().notifications();
        assertTrue(notifications.includeReferences());
        assertEquals(List.of(new EndpointSettings("alistener", URI.create("https://my.listener.com/event"),
                Map.of("Authorization", List.of("Bearer hook-token"), "X-Team", List.of("platform")),
                Duration.ofMillis(500), 5, Duration.ofSeconds(1),
                Set.of("application/octet-stream", "application/vnd.oci.image.index.v1+json"), Set.of(Action.PULL), 50)),
                notifications.endpoints());
        assertEquals(List.of(), loaded.warnings());
    }

    @Test
    void leftOutSettingsTakeDistributionsDefaults() throws IOException {
        EndpointSettings endpoint = load("version: 0.1\nnotifications:\n  endpoints:\n    - name: a\n"
                + "      url: http://127.0.0.1:9/x\n", Map.of()).config().notifications().endpoints().get(0);
        assertEquals(EndpointSettings.of("a", URI.create("http://127.0.0.1:9/x")), endpoint);
        assertEquals(Duration.ofSeconds(1), endpoint.timeout());
        assertEquals(10, endpoint.threshold());
    }

    @Test
    void aVariableSetsTheWholeListAsYaml() throws IOException {
        NotificationsConfig notifications = load(null, Map.of(
                "REGISTRY_NOTIFICATIONS_ENDPOINTS", "[{name: ci, url: 'http://ci.example:8080/hook', threshold: 3}]",
                "REGISTRY_NOTIFICATIONS_EVENTS_INCLUDEREFERENCES", "true")).config().notifications();
        assertEquals(List.of(EndpointSettings.of("ci", URI.create("http://ci.example:8080/hook"))
                .withRetry(3, EndpointSettings.DEFAULT_BACKOFF)), notifications.endpoints());
        assertTrue(notifications.includeReferences());
    }

    @Test
    void mistakesAreNamedWithTheirKeyAndVariable() {
        ConfigException noUrl = assertThrows(ConfigException.class, () -> load(
                "version: 0.1\nnotifications:\n  endpoints:\n    - name: a\n", Map.of()));
        assertEquals("notifications.endpoints[0].url: missing; it is required", noUrl.getMessage());

        ConfigException badUrl = assertThrows(ConfigException.class, () -> load(null, Map.of(
                "REGISTRY_NOTIFICATIONS_ENDPOINTS", "[{name: a, url: 'ftp://user:pw@host/x'}]")));
        assertEquals("notifications.endpoints[0].url (from REGISTRY_NOTIFICATIONS_ENDPOINTS): not an absolute http or"
                + " https URL", badUrl.getMessage());
        assertFalse(badUrl.getMessage().contains("pw"));

        ConfigException twice = assertThrows(ConfigException.class, () -> load("version: 0.1\nnotifications:\n"
                + "  endpoints:\n    - {name: a, url: 'http://h/1'}\n    - {name: a, url: 'http://h/2'}\n", Map.of()));
        assertEquals("notifications.endpoints[1].name: 'a' names two endpoints", twice.getMessage());

        ConfigException timeout = assertThrows(ConfigException.class, () -> load("version: 0.1\nnotifications:\n"
                + "  endpoints:\n    - {name: a, url: 'http://h/1', timeout: soon}\n", Map.of()));
        assertTrue(timeout.getMessage().startsWith("notifications.endpoints[0].timeout: 'soon' is not a duration"),
                timeout.getMessage());
    }

    @Test
    void unknownActionsAndKeysAreWarnedAbout() throws IOException {
        List<String> warnings = load("version: 0.1\nnotifications:\n  endpoints:\n    - name: a\n"
                + "      url: http://h/1\n      ignore:\n        actions: [tag]\n      retries: 3\n", Map.of()).warnings();
        assertEquals(List.of("notifications.endpoints[0].ignore.actions: 'tag' is not one of push, pull, mount, delete;"
                + " it never matches", "notifications.endpoints[0].retries is not supported by Stevedore; ignored"),
                warnings);
    }

    private ConfigLoader.Loaded load(String yaml, Map<String, String> env) throws IOException {
        Optional<Path> file = Optional.empty();
        if (yaml != null) file = Optional.of(Files.writeString(temp.resolve("config.yml"), yaml));
        return ConfigLoader.load(file, env);
    }
}
