package org.stevedore.service;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.OptionalLong;
import org.stevedore.storage.StorageDriver;
import org.stevedore.storage.layout.StorageLayout;

/**
 * One online collection at a time across every node sharing a store, coordinated through the
 * store alone: a lease in generations, each a small file ({@link StorageLayout#gcLease}) that
 * exactly one node manages to create ({@link StorageDriver#createSmall}, an exclusive create:
 * {@code If-None-Match: *} on S3, a hard link on a filesystem). A node due to collect reads the
 * newest generation and skips if it is held (not finished, not expired) or finished less than
 * the node's interval ago; otherwise it creates the next generation, and of the nodes that try,
 * one wins and the others skip. The holder renews its expiry as it makes progress and marks its
 * generation finished at the end; older generations are deleted by the next holder.
 *
 * <h2>Why this cannot break anything, and what it guarantees</h2>
 *
 * <p>The collector's safety never rests on the lease: {@link GarbageCollector}'s argument holds
 * for any number of collections running at once on any nodes (a blob's bytes are set aside
 * before its last use is checked again, and put back by whoever finds them set aside). The lease
 * only spares the fleet repeated work, so whatever defeats it (clocks skewed by more than the
 * lease, a holder paused longer than its lease) costs wasted work, never a lost blob.
 *
 * <p>Exclusion: generation {@code g + 1} is created only by a node that read generation
 * {@code g} as expired or finished, and only one node creates it. A live holder checks at every
 * renewal (at least every third of the lease) that no next generation exists, and stops
 * collecting if one does; so two collections overlap only while a holder has made no progress
 * for a whole lease.
 *
 * <p>Liveness: a holder whose collection fails, or whose node is stopping, releases its
 * generation (expired at once) and the next node due takes over. A holder killed at any moment
 * leaves its generation unfinished with an expiry at most one lease ahead; the first node due
 * after that creates the next generation. A killed
 * collection leaves storage as {@link GarbageCollector} describes (bytes set aside are put back
 * by the next run), nothing visible broken. A lease file is created whole or not at all, and a
 * file that cannot be read as a lease is treated as expired.
 *
 * <p>A store without exclusive create makes every node collect on its own schedule, as before
 * this lease existed (safe, repeated work).
 */
public final class CollectionLease {
    private final StorageDriver driver;
    private final String directory;
    private final String holder;
    private final Duration lease;
    private final Clock clock;

    /**
     * @param holder names this node in the lease (for logs: who is collecting)
     * @param lease  how long a holder that stops making progress blocks the others
     */
    public CollectionLease(StorageDriver driver, String holder, Duration lease, Clock clock) {
        this(driver, StorageLayout.GC_LEASES, holder, lease, clock);
    }

    /**
     * A lease of the same kind in {@code directory}, for other once-per-fleet work (retention,
     * verify: see {@link StorageLayout#leases}); each directory is a lease of its own.
     */
    public CollectionLease(StorageDriver driver, String directory, String holder, Duration lease, Clock clock) {
        this.directory = java.util.Objects.requireNonNull(directory, "directory");
        if (lease.isNegative() || lease.isZero()) throw new IllegalArgumentException("lease must be positive");
        if (holder.isBlank() || holder.contains("\n")) throw new IllegalArgumentException("invalid holder");
        this.driver = driver;
        this.holder = holder;
        this.lease = lease;
        this.clock = clock;
    }

    /** What the newest generation says, and why a node did not get the lease. */
    public sealed interface Outcome permits Acquired, Busy, Recent, Lost {
    }

    /** This node holds the next generation: collect, renewing as it goes, then {@link Acquired#finish}. */
    public record Acquired(Held held) implements Outcome {
    }

    /** Another node holds the lease until {@code expires}. */
    public record Busy(String holder, Instant expires) implements Outcome {
    }

    /** A collection finished at {@code finished}, less than the asked spacing ago. */
    public record Recent(String holder, Instant finished) implements Outcome {
    }

    /** Another node created the next generation first. */
    public record Lost() implements Outcome {
    }

    /**
     * Takes the next generation if no collection runs and none finished within {@code spacing}.
     *
     * @throws UnsupportedOperationException if the store cannot create a file exclusively
     */
    public Outcome tryAcquire(Duration spacing) throws IOException {
        Instant now = clock.instant();
        OptionalLong newest = newestGeneration();
        long next = 1;
        if (newest.isPresent()) {
            Optional<State> state = read(newest.getAsLong());
            if (state.isPresent()) {
                State s = state.get();
                if (s.finished() != null && s.finished().plus(spacing).isAfter(now)) return new Recent(s.holder(), s.finished());
                if (s.finished() == null && s.expires().isAfter(now)) return new Busy(s.holder(), s.expires());
            }
            next = newest.getAsLong() + 1;
        }
        Instant taken = clock.instant(); // the lease runs from its creation, however slow the reads were
        byte[] mine = encode(new State(holder, taken.plus(lease), null));
        if (!driver.createSmall(path(next), mine) && !createdByThisCall(next, mine)) return new Lost();
        for (long old = next - 2; old >= 1 && driver.statFile(path(old)).isPresent(); old--) {
            driver.delete(path(old)); // the one before this stays, for a racing reader
        }
        return new Acquired(new Held(next, taken));
    }

    /** A generation this node created. Not thread-safe: one collection uses it. */
    public final class Held {
        private final long generation;
        private Instant renewed;

        private Held(long generation, Instant acquired) {
            this.generation = generation;
            this.renewed = acquired;
        }

        public long generation() {
            return generation;
        }

        /**
         * Extends the lease if a third of it has passed since the last renewal; cheap otherwise.
         *
         * @throws LeaseLostException if another node took the next generation (this one expired)
         */
        public void renew() throws IOException {
            Instant now = clock.instant();
            if (Duration.between(renewed, now).compareTo(lease.dividedBy(3)) < 0) return;
            if (driver.statFile(path(generation + 1)).isPresent()) {
                throw new LeaseLostException("the collection lease " + generation + " expired and was taken over");
            }
            driver.writeSmall(path(generation), encode(new State(holder, now.plus(lease), null)));
            renewed = now;
        }

        /**
         * Gives the lease up unfinished (a collection that failed, a node stopping): expired now,
         * so the next node due collects at once instead of waiting out the lease.
         */
        public void release() throws IOException {
            if (driver.statFile(path(generation + 1)).isPresent()) return; // not ours any more
            driver.writeSmall(path(generation), encode(new State(holder, clock.instant(), null)));
        }

        /** Marks the generation finished now: the next collection is due a node's interval later. */
        public void finish() throws IOException {
            Instant now = clock.instant();
            driver.writeSmall(path(generation), encode(new State(holder, now, now)));
        }
    }

    /** Thrown by {@link Held#renew()} when the lease was lost: the collection stops. */
    public static final class LeaseLostException extends IOException {
        public LeaseLostException(String message) {
            super(message);
        }
    }

    /**
     * Whether a create that reported the file taken had in fact made it: a client that retries a
     * request whose reply was lost meets its own first write (the holder and expiry to the
     * nanosecond make the bytes this call's own).
     */
    private boolean createdByThisCall(long generation, byte[] mine) throws IOException {
        try {
            return java.util.Arrays.equals(mine, driver.readSmall(path(generation), 1024));
        } catch (NoSuchFileException | org.stevedore.storage.FileTooLargeException e) {
            return false;
        }
    }

    private OptionalLong newestGeneration() throws IOException {
        OptionalLong newest = OptionalLong.empty();
        for (String file : driver.list(directory)) {
            try {
                long generation = Long.parseLong(StorageLayout.fileName(file));
                if (newest.isEmpty() || generation > newest.getAsLong()) newest = OptionalLong.of(generation);
            } catch (NumberFormatException notALease) {
                // a store's own file, or a stranger's: not a generation
            }
        }
        return newest;
    }

    private String path(long generation) {
        return StorageLayout.lease(directory, generation);
    }

    /** The state of a generation; empty when unreadable (treated as expired) or gone meanwhile. */
    private Optional<State> read(long generation) throws IOException {
        try {
            return State.decode(new String(driver.readSmall(path(generation), 1024),
                    StandardCharsets.UTF_8));
        } catch (NoSuchFileException | org.stevedore.storage.FileTooLargeException e) {
            return Optional.empty();
        }
    }

    private static byte[] encode(State state) {
        return state.encode().getBytes(StandardCharsets.UTF_8);
    }

    /** A generation's content: who holds it, until when, and when it finished (null while running). */
    private record State(String holder, Instant expires, Instant finished) {
        String encode() {
            return "holder " + holder + "\nexpires " + expires + "\n" + (finished == null ? "" : "finished " + finished + "\n");
        }

        static Optional<State> decode(String text) {
            String holder = null;
            Instant expires = null;
            Instant finished = null;
            try {
                for (String line : text.split("\n")) {
                    int space = line.indexOf(' ');
                    if (space < 0) continue;
                    String value = line.substring(space + 1);
                    switch (line.substring(0, space)) {
                        case "holder" -> holder = value;
                        case "expires" -> expires = Instant.parse(value);
                        case "finished" -> finished = Instant.parse(value);
                        default -> { }
                    }
                }
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
            return holder == null || expires == null ? Optional.empty() : Optional.of(new State(holder, expires, finished));
        }
    }
}
