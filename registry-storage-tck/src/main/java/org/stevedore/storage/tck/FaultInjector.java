package org.stevedore.storage.tck;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.stevedore.storage.StorageUnavailableException;

/**
 * Decides, per storage call, whether a fault strikes and which one, from one seeded random
 * sequence; counts what it injected. Thread-safe. Calls from several threads interleave, so a seed
 * fixes the sequence of decisions, not which call gets which.
 */
final class FaultInjector {
    private final Random random;
    private final double probability;
    private final Set<Fault> enabledKinds;
    private final Duration maxDelay;
    private final Map<Fault, AtomicLong> counts = new EnumMap<>(Fault.class);
    private volatile boolean active = true;

    FaultInjector(long seed, double probability, Set<Fault> kinds, Duration maxDelay) {
        if (probability < 0 || probability > 1) throw new IllegalArgumentException("probability must be in [0, 1]");
        this.random = new Random(seed);
        this.probability = probability;
        this.enabledKinds = kinds.isEmpty() ? EnumSet.noneOf(Fault.class) : EnumSet.copyOf(kinds);
        this.maxDelay = maxDelay;
        for (Fault fault : Fault.values()) counts.put(fault, new AtomicLong());
    }

    void setActive(boolean active) {
        this.active = active;
    }

    /** A fault for a call that could suffer any of {@code applicable}, or empty; counted when drawn. */
    Optional<Fault> draw(Set<Fault> applicable) {
        if (!active) return Optional.empty();
        Fault chosen;
        synchronized (random) {
            if (random.nextDouble() >= probability) return Optional.empty();
            List<Fault> candidates = new ArrayList<>();
            for (Fault fault : applicable) if (enabledKinds.contains(fault)) candidates.add(fault);
            if (candidates.isEmpty()) return Optional.empty();
            chosen = candidates.get(random.nextInt(candidates.size()));
        }
        counts.get(chosen).incrementAndGet();
        return Optional.of(chosen);
    }

    /** A number in {@code [0, bound)} from the same sequence. */
    long nextLong(long bound) {
        synchronized (random) {
            return bound <= 1 ? 0 : Math.floorMod(random.nextLong(), bound);
        }
    }

    /** Throws the failure a fault stands for; {@link Fault#SLOW} sleeps and returns. */
    void strike(Fault fault, String operation, String path) throws IOException {
        String where = operation + " " + path;
        switch (fault) {
            case SLOW -> {
                try {
                    Thread.sleep(nextLong(maxDelay.toMillis() + 1));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("injected delay interrupted: " + where);
                }
            }
            case UNAVAILABLE -> throw new StorageUnavailableException("injected outage: " + where, null);
            case DISK_FULL -> throw new IOException(path + ": No space left on device (injected)");
            default -> throw new IOException("injected " + fault.name().toLowerCase(java.util.Locale.ROOT) + ": " + where);
        }
    }

    Map<Fault, Long> counts() {
        Map<Fault, Long> result = new EnumMap<>(Fault.class);
        counts.forEach((fault, count) -> result.put(fault, count.get()));
        return result;
    }
}
