package org.stevedore.notifications;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** distribution's defaults, URL checks, and secrets kept out of text meant for logs. */
class EndpointSettingsTest {
    @Test
    void zeroValuesTakeDistributionsDefaults() {
        EndpointSettings settings = new EndpointSettings("a", URI.create("http://127.0.0.1/x"), Map.of(),
                Duration.ZERO, 0, Duration.ZERO, java.util.Set.of(), java.util.Set.of(), 0);
        assertEquals(Duration.ofSeconds(1), settings.timeout());
        assertEquals(10, settings.threshold());
        assertEquals(Duration.ofSeconds(1), settings.backoff());
        assertEquals(EndpointSettings.DEFAULT_QUEUE_SIZE, settings.queueSize());
    }

    @Test
    void rejectsUrlsThatAreNotAbsoluteHttp() {
        assertThrows(IllegalArgumentException.class, () -> EndpointSettings.of("a", URI.create("/relative")));
        assertThrows(IllegalArgumentException.class, () -> EndpointSettings.of("a", URI.create("ftp://host/x")));
    }

    @Test
    void textForLogsShowsNeitherHeaderValuesNorUserInfo() {
        EndpointSettings settings = EndpointSettings.of("a", URI.create("https://hook:pa55@ci.example/x"))
                .withHeaders(Map.of("Authorization", List.of("Bearer t0ken")));
        assertFalse(settings.toString().contains("t0ken"), settings.toString());
        assertFalse(settings.toString().contains("pa55"), settings.toString());
        assertEquals("https://ci.example/x", settings.redactedUrl());
        assertEquals(Optional.of("Basic aG9vazpwYTU1"), Urls.basicAuthorization(settings.url()));
    }

    @Test
    void actionsParseFromDistributionsNames() {
        assertEquals(Action.PULL, Action.parse("Pull"));
        assertThrows(IllegalArgumentException.class, () -> Action.parse("tag"));
    }
}
