package org.stevedore.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The journal is bounded: past its capacity the oldest events go, and it counts them. */
class EventJournalBoundTest {

    @Test
    void dropsTheOldestPastCapacity() {
        EventJournal journal = new EventJournal(3);
        for (int i = 0; i < 5; i++) journal.record(event("/v2/r/manifests/" + i));
        assertEquals(List.of("/v2/r/manifests/2", "/v2/r/manifests/3", "/v2/r/manifests/4"),
                journal.all().stream().map(RegistryEvent::path).toList());
        assertEquals(2, journal.dropped());
        journal.clear();
        assertEquals(0, journal.dropped());
        assertEquals(List.of(), journal.all());
    }

    private static RegistryEvent event(String path) {
        return new RegistryEvent(RegistryEvent.Type.PULL, Optional.of("r"), Optional.empty(), Optional.empty(),
                Optional.empty(), "GET", path, 200, Instant.EPOCH);
    }
}
