package org.stevedore.registry;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
        notifyAll();
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

    /** The kept events about {@code repository}, oldest first. */
    public List<RegistryEvent> ofRepository(String repository) {
        return matching(event -> event.repository().filter(repository::equals).isPresent());
    }

    /** How many kept events there are of each type (types without events are left out). */
    public synchronized Map<RegistryEvent.Type, Long> countsByType() {
        return events.stream().collect(Collectors.groupingBy(RegistryEvent::type, () -> new EnumMap<>(RegistryEvent.Type.class),
                Collectors.counting()));
    }

    /**
     * How often each blob of {@code repository} was served, by digest, in the order first pulled:
     * "the deployer pulled exactly these three layers, once each" is
     * {@code assertEquals(Map.of(a, 1L, b, 1L, c, 1L), events.blobPulls("app"))}.
     */
    public synchronized Map<String, Long> blobPulls(String repository) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (RegistryEvent event : events) {
            if (event.type() == RegistryEvent.Type.BLOB_PULL && event.repository().filter(repository::equals).isPresent()) {
                event.digest().ifPresent(digest -> counts.merge(digest, 1L, Long::sum));
            }
        }
        return counts;
    }

    /**
     * Waits up to {@code timeout} for an event {@code filter} accepts, kept or yet to come; the
     * first such event. For clients that return before the registry is done, or that run in the
     * background (a deployer, a mirror).
     *
     * @throws AssertionError when none came in time, naming the events that did
     */
    public synchronized RegistryEvent await(Predicate<RegistryEvent> filter, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (RegistryEvent event : events) if (filter.test(event)) return event;
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no matching event within " + timeout + "; the journal holds " + summary());
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    /** Waits up to {@code timeout} for a push of {@code repository:tag} (a stored manifest); its event. */
    public RegistryEvent awaitPush(String repository, String tag, Duration timeout) throws InterruptedException {
        return await(event -> event.type() == RegistryEvent.Type.PUSH
                && event.repository().filter(repository::equals).isPresent()
                && event.reference().filter(tag::equals).isPresent(), timeout);
    }

    private String summary() {
        if (events.isEmpty()) return "no events";
        return events.stream().skip(Math.max(0, events.size() - 20))
                .map(event -> event.type() + " " + event.method() + " " + event.path() + " " + event.status())
                .collect(Collectors.joining(", ", "(last 20) [", "]"));
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
