package org.stevedore.registry;

import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * What happened in a {@link Registry}, oldest first: pushes, pulls, mounts, deletions and refused
 * credentials (see {@link RegistryEvent.Type}). Bounded: past {@link #capacity()} events the
 * oldest are dropped, so a long-running test cannot exhaust memory. An event is recorded before
 * the client receives the response, so a test may read the journal right after a client
 * returns. Thread-safe. Published API.
 */
public final class EventJournal {
    /** Events kept by default. */
    public static final int DEFAULT_CAPACITY = 10_000;

    private final int capacity;
    private final ArrayDeque<RegistryEvent> events = new ArrayDeque<>();
    private long dropped;

    EventJournal(int capacity) {
        if (capacity <= 0) throw new IllegalArgumentException("capacity must be positive");
        this.capacity = capacity;
    }

    synchronized void record(RegistryEvent event) {
        if (events.size() == capacity) {
            events.removeFirst();
            dropped++;
        }
        events.addLast(event);
    }

    /** A snapshot of every kept event, oldest first. */
    public synchronized List<RegistryEvent> all() {
        return List.copyOf(events);
    }

    /** The kept events of one type, oldest first. */
    public List<RegistryEvent> ofType(RegistryEvent.Type type) {
        return matching(event -> event.type() == type);
    }

    /** The kept events for which {@code filter} holds, oldest first. */
    public synchronized List<RegistryEvent> matching(Predicate<RegistryEvent> filter) {
        return events.stream().filter(filter).collect(Collectors.toUnmodifiableList());
    }

    /** How many events were dropped because the journal was full. */
    public synchronized long dropped() {
        return dropped;
    }

    /** Most events kept. */
    public int capacity() {
        return capacity;
    }

    /** Forgets every event. */
    public synchronized void clear() {
        events.clear();
        dropped = 0;
    }
}
