package org.stevedore.storage.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.stevedore.registry.Registry;
import org.stevedore.storage.StorageDriver;

/**
 * The registry over failing storage: for many seeds, a {@link Registry} over a {@link FaultyDriver}
 * around the driver under test serves pushes (monolithic, chunked, streamed, single PUT), mounts,
 * manifest and tag updates, pulls, tag listing and deletions while faults strike. Every answer must
 * be a success or a 5xx with the OCI error JSON ({@code Retry-After} on 503); no call may hang.
 * Then, with faults off, storage must hold no partial state ({@link StorageAudit}), everything
 * acknowledged must be there and whole, and the same registry must serve a clean push and pull.
 *
 * <p>One subclass per driver supplies {@link #newDriver()}. The seed count is
 * {@link #defaultSeeds()}, or {@code -Dfaults.seeds=N} for a longer run. Prints a
 * {@code FIGURES:} line.
 */
public abstract class StorageFaultContract {

    /** A fresh, empty driver for one seed; closed by {@link #closeDriver}. */
    protected abstract StorageDriver newDriver() throws Exception;

    /** Releases what {@link #newDriver()} acquired. Does nothing unless overridden. */
    protected void closeDriver(StorageDriver driver) throws Exception {
    }

    /** How many seeds a default run tries; keep the run to seconds. */
    protected int defaultSeeds() {
        return 20;
    }

    /** The chance that any one storage call fails. */
    protected double faultProbability() {
        return 0.02;
    }

    @Test
    @Timeout(600)
    void faultsBecomeServerErrorsAndLeaveNoPartialState() throws Exception {
        int seeds = Integer.getInteger("faults.seeds", defaultSeeds());
        Map<Fault, Long> injected = new EnumMap<>(Fault.class);
        long requests = 0, serverErrors = 0, unavailable = 0, cut = 0, verified = 0, acknowledged = 0;
        List<String> violations = new ArrayList<>();
        List<String> partial = new ArrayList<>();
        String name = "?";
        for (int s = 1; s <= seeds; s++) {
            int seed = s;
            StorageDriver driver = newDriver();
            name = driver.name();
            FaultyDriver faulty = FaultyDriver.over(driver).seed(seed).probability(faultProbability()).build();
            try (Registry registry = Registry.builder().storage(faulty).deleteEnabled(true).start()) {
                CheckedCalls calls = new CheckedCalls(registry.url());
                FaultFlows flows = new FaultFlows(calls, seed);
                flows.run();
                faulty.setActive(false);

                StorageAudit.Report audit = StorageAudit.of(driver);
                audit.problems().forEach(p -> partial.add("seed " + seed + ": " + p));
                flows.verifyAcknowledged().forEach(p -> partial.add("seed " + seed + ": " + p));
                flows.verifyStillServing();
                faulty.injectedCounts().forEach((fault, count) -> injected.merge(fault, count, Long::sum));
                requests += calls.requests.get();
                serverErrors += calls.serverErrors.get();
                unavailable += calls.unavailable.get();
                cut += calls.cutConnections.get();
                verified += audit.objectsVerified();
                acknowledged += flows.acknowledged();
                calls.violations.forEach(v -> violations.add("seed " + seed + ": " + v));
            } finally {
                closeDriver(driver);
            }
        }
        long faults = injected.values().stream().mapToLong(Long::longValue).sum();
        System.out.println("FIGURES: storage faults [" + name + "]: seeds " + seeds + ", requests " + requests
                + ", faults injected " + faults + " " + injected + ", 5xx answers " + serverErrors
                + " (503 " + unavailable + "), cut connections " + cut + ", acknowledged objects " + acknowledged
                + ", objects verified " + verified + ", violations " + violations.size()
                + ", partial states " + partial.size());
        assertEquals(List.of(), violations, "answers under storage faults");
        assertEquals(List.of(), partial, "partial states after storage faults");
        assertTrue(faults > seeds, "faults were injected: " + injected);
        assertTrue(serverErrors > 0, "some faults reached clients as server errors");
    }
}
