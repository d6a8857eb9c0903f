package org.stevedore.policies;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import org.stevedore.model.Digest;
import org.stevedore.model.RepositoryName;
import org.stevedore.storage.FileTooLargeException;
import org.stevedore.storage.StorageDriver;
import org.stevedore.storage.layout.StorageLayout;

/**
 * A repository's usage kept in storage, so that a quota check costs two listings and one small
 * read instead of a walk over every manifest, and holds across nodes sharing the store. Usage is
 * a <em>count</em> plus <em>reservations</em>:
 *
 * <pre>
 * &lt;repository&gt;/_usage/counts/&lt;generation&gt;         "bytes N": a walk's exact result ({@link RepositoryUsage}),
 *                                                  or "stale": a manifest went since, count again
 * &lt;repository&gt;/_usage/reservations/p-&lt;bytes&gt;-&lt;ms&gt;-&lt;id&gt;  a manifest PUT in flight holds bytes
 * &lt;repository&gt;/_usage/reservations/c-&lt;bytes&gt;-&lt;ms&gt;-&lt;id&gt;  that PUT stored its manifest; the bytes are
 *                                                  held until a count includes them
 * </pre>
 *
 * Used = the newest count + every reservation listed. A count generation is created only with
 * {@link StorageDriver#createSmall} (exclusive) as the newest read plus one, and never reused.
 *
 * <h2>Why the ledger never under-counts</h2>
 *
 * <p>A stored manifest's bytes are always in the newest count or in a listed reservation. A push
 * creates its pending reservation before it writes anything and turns it into a committed one
 * (create, then delete the pending name: both for a moment, which only over-counts) after its
 * manifest is visible. A reservation is deleted only by a recount that (1) listed it committed
 * <em>before</em> starting its walk, so the walk saw its manifest; (2) created count generation
 * {@code g + 1} after reading {@code g} as the newest; and (3) found, after creating it, no
 * generation above {@code g + 1}. Any later generation is created by someone who read
 * {@code g + 1} or later as the newest, so started walking after {@code g + 1} existed, after the
 * reservation's manifest was stored: it counts it too (unless the manifest was deleted, which
 * gives the space back). A reader lists reservations first, then reads the newest count: if a
 * reservation is missing from its listing, the count that includes it was already there. A
 * count that is missing, unreadable or "stale" makes the reader count again before it decides.
 * A manifest delete writes a "stale" generation, so space comes back at the next check. A
 * pending reservation whose node died stays counted (over-counting) until a recount removes it
 * once older than {@link #PENDING_LIFETIME}: by then its PUT either stored its manifest, which
 * the walk sees, or never will. Nothing here relies on clocks agreeing across nodes, except that
 * a manifest PUT finishes within {@code PENDING_LIFETIME} of the clock of the node that recounts.
 *
 * <p>Over-counting is transient: a committed reservation may double a manifest already counted
 * (the charge is computed without the repository's set of digests) until the next recount, and
 * {@link Quotas} recounts before it refuses anything.
 */
final class UsageLedger {
    /** How long a pending reservation's PUT may take before a recount treats its node as gone. */
    static final Duration PENDING_LIFETIME = Duration.ofMinutes(10);
    private static final int MAX_RECORD_BYTES = 256;
    private static final String STALE = "stale\n";

    private final StorageDriver driver;
    private final int maxManifestBytes;
    private final Clock clock;

    UsageLedger(StorageDriver driver, int maxManifestBytes, Clock clock) {
        this.driver = driver;
        this.maxManifestBytes = maxManifestBytes;
        this.clock = clock;
    }

    /** What storage says now: the newest count (empty when it must be counted again) and every reservation. */
    record Reading(OptionalLong counted, List<Reservation> reservations) {
        long reserved() {
            return reservations.stream().mapToLong(Reservation::bytes).sum();
        }

        /** The count plus every reservation; only meaningful when {@link #counted} is present. */
        long used() {
            return counted.orElse(0) + reserved();
        }

        long committedCount() {
            return reservations.stream().filter(Reservation::committed).count();
        }
    }

    /** One reservation, as its file name spells it. */
    record Reservation(RepositoryName repository, boolean committed, long bytes, long createdMillis, String id) {
        String fileName() {
            return (committed ? "c-" : "p-") + bytes + "-" + createdMillis + "-" + id;
        }

        static Optional<Reservation> parse(RepositoryName repository, String name) {
            String[] parts = name.split("-", 4);
            if (parts.length != 4 || !(parts[0].equals("p") || parts[0].equals("c"))) return Optional.empty();
            try {
                long bytes = Long.parseLong(parts[1]);
                long created = Long.parseLong(parts[2]);
                if (bytes < 0) return Optional.empty();
                return Optional.of(new Reservation(repository, parts[0].equals("c"), bytes, created, parts[3]));
            } catch (NumberFormatException e) {
                return Optional.empty(); // a store's temporary file or a stranger's: not a reservation
            }
        }
    }

    /** A walk's result: the exact usage when it ran, and the sizes it added up, by digest. */
    record Count(long bytes, Map<Digest, Long> sizes) {
    }

    /** Reservations first, then the count (see the class comment for why in this order). */
    Reading read(RepositoryName name) throws IOException {
        List<Reservation> reservations = reservations(name);
        OptionalLong newest = newestGeneration(name);
        OptionalLong counted = OptionalLong.empty();
        if (newest.isPresent()) counted = readCount(name, newest.getAsLong());
        return new Reading(counted, reservations);
    }

    /**
     * Walks the repository, records the result as the next count generation and deletes the
     * reservations the walk included. Returns the walk's result whether or not this call's
     * generation won (another node recounting at the same time leaves the reservations to its own).
     */
    Count recount(RepositoryName name) throws IOException {
        long generation = newestGeneration(name).orElse(0) + 1;
        long now = clock.millis();
        List<Reservation> included = new ArrayList<>();
        for (Reservation reservation : reservations(name)) {
            if (reservation.committed() || now - reservation.createdMillis() > PENDING_LIFETIME.toMillis()) {
                included.add(reservation);
            }
        }
        Map<Digest, Long> sizes = RepositoryUsage.referencedSizes(driver, name, maxManifestBytes);
        long bytes = sizes.values().stream().mapToLong(Long::longValue).sum();
        Count count = new Count(bytes, sizes);
        if (!driver.createSmall(StorageLayout.usageCount(name, generation), ("bytes " + bytes + "\n")
                .getBytes(StandardCharsets.UTF_8))) {
            return count;
        }
        if (newestGeneration(name).orElse(0) > generation) return count;
        for (Reservation reservation : included) {
            driver.delete(StorageLayout.usageReservation(name, reservation.fileName()));
        }
        for (String file : driver.list(StorageLayout.usageCounts(name))) {
            OptionalLong old = generationOf(file);
            // The one before stays, for a reader that listed it as the newest a moment ago.
            if (old.isPresent() && old.getAsLong() < generation - 1) driver.delete(file);
        }
        return count;
    }

    /** A manifest left the repository: the newest count is too high; the next check counts again. */
    void invalidate(RepositoryName name) throws IOException {
        byte[] stale = STALE.getBytes(StandardCharsets.UTF_8);
        for (int attempt = 0; attempt < 16; attempt++) {
            // Any generation created after the delete counts without the manifest: one is enough.
            if (driver.createSmall(StorageLayout.usageCount(name, newestGeneration(name).orElse(0) + 1), stale)) return;
        }
        throw new IOException("could not mark the usage of " + name + " stale: the count kept moving");
    }

    /** Holds {@code bytes} against the quota before a manifest PUT writes anything. */
    Reservation reserve(RepositoryName name, long bytes) throws IOException {
        Reservation reservation = new Reservation(name, false, bytes, clock.millis(), UUID.randomUUID().toString());
        if (!driver.createSmall(StorageLayout.usageReservation(name, reservation.fileName()), new byte[0])) {
            throw new IOException("reservation " + reservation.fileName() + " already exists");
        }
        return reservation;
    }

    /** The PUT stored its manifest: keep the bytes held, as committed, until a count includes them. */
    void commit(Reservation pending) throws IOException {
        Reservation committed = new Reservation(pending.repository(), true, pending.bytes(), pending.createdMillis(),
                pending.id());
        driver.createSmall(StorageLayout.usageReservation(pending.repository(), committed.fileName()), new byte[0]);
        driver.delete(StorageLayout.usageReservation(pending.repository(), pending.fileName()));
    }

    /** The PUT failed before its manifest was visible: nothing to hold. */
    void release(Reservation pending) throws IOException {
        driver.delete(StorageLayout.usageReservation(pending.repository(), pending.fileName()));
    }

    private List<Reservation> reservations(RepositoryName name) throws IOException {
        List<Reservation> reservations = new ArrayList<>();
        for (String file : driver.list(StorageLayout.usageReservations(name))) {
            Reservation.parse(name, StorageLayout.fileName(file)).ifPresent(reservations::add);
        }
        return reservations;
    }

    private OptionalLong newestGeneration(RepositoryName name) throws IOException {
        OptionalLong newest = OptionalLong.empty();
        for (String file : driver.list(StorageLayout.usageCounts(name))) {
            OptionalLong generation = generationOf(file);
            if (generation.isPresent() && (newest.isEmpty() || generation.getAsLong() > newest.getAsLong())) {
                newest = generation;
            }
        }
        return newest;
    }

    private static OptionalLong generationOf(String path) {
        try {
            return OptionalLong.of(Long.parseLong(StorageLayout.fileName(path)));
        } catch (NumberFormatException notACount) {
            return OptionalLong.empty();
        }
    }

    /** The bytes a generation records; empty when stale, unreadable or gone meanwhile. */
    private OptionalLong readCount(RepositoryName name, long generation) throws IOException {
        String text;
        try {
            text = new String(driver.readSmall(StorageLayout.usageCount(name, generation), MAX_RECORD_BYTES),
                    StandardCharsets.UTF_8);
        } catch (NoSuchFileException | FileTooLargeException e) {
            return OptionalLong.empty();
        }
        if (!text.startsWith("bytes ")) return OptionalLong.empty();
        try {
            return OptionalLong.of(Long.parseLong(text.substring("bytes ".length()).trim()));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
