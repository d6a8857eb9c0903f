package org.stevedore.policies;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stevedore.error.ErrorCode;
import org.stevedore.error.RegistryException;
import org.stevedore.model.Descriptor;
import org.stevedore.model.Digest;
import org.stevedore.model.Manifest;
import org.stevedore.model.RepositoryName;
import org.stevedore.model.Tag;
import org.stevedore.service.ManifestGuard;
import org.stevedore.storage.StorageDriver;

/**
 * Quotas, from the usage {@link UsageLedger} keeps in storage. An upload (session start, chunk,
 * last chunk, whole blob) into a repository already at or past its quota, or whose declared size
 * would take it past, and a manifest PUT that would, answer 403 {@code DENIED} with
 * "used X of Y" before anything is written. Uploaded blobs count once a manifest references them.
 *
 * <p>A manifest PUT reserves what it adds (the manifest's bytes and every blob it references, an
 * upper bound) before it writes, and the check and the reservation are one step per repository on
 * this node. Across nodes, two PUTs may each check before the other's reservation is listed, so
 * a repository can pass its quota by at most one manifest PUT in flight per other node, never
 * more. The ledger may over-count for a while (a re-pushed layer charged again until the next
 * count); so before it refuses anything, a check counts the repository exactly and decides again
 * with the exact bytes this push adds.
 */
public final class Quotas implements ManifestGuard {
    private static final Logger LOG = LoggerFactory.getLogger(Quotas.class);
    /** Committed reservations that make a PUT count the repository again, to keep checks cheap. */
    private static final int RECOUNT_AFTER_COMMITS = 32;

    private final List<QuotaRule> rules;
    private final UsageLedger ledger;
    private final Map<RepositoryName, ReentrantLock> locks = new ConcurrentHashMap<>();
    private final RepositoryGauges gauges = new RepositoryGauges();

    public Quotas(List<QuotaRule> rules, StorageDriver driver, int maxManifestBytes) {
        this(rules, driver, maxManifestBytes, Clock.systemUTC());
    }

    Quotas(List<QuotaRule> rules, StorageDriver driver, int maxManifestBytes, Clock clock) {
        this.rules = List.copyOf(rules);
        this.ledger = new UsageLedger(driver, maxManifestBytes, clock);
    }

    /** The first rule matching {@code name}. */
    public Optional<QuotaRule> ruleFor(RepositoryName name) {
        return rules.stream().filter(rule -> rule.repositories().matches(name.value())).findFirst();
    }

    /** Usage and quota of the repositories this node checked lately, for the usage gauge. */
    public RepositoryGauges gauges() {
        return gauges;
    }

    /** Usage as the ledger has it now (count plus reservations), counting the repository if it must. */
    public long used(RepositoryName name) throws IOException {
        UsageLedger.Reading reading = ledger.read(name);
        if (reading.counted().isPresent()) return reading.used();
        long counted = ledger.recount(name).bytes();
        return counted + ledger.read(name).reserved();
    }

    @Override
    public boolean guards(RepositoryName name, Tag tag) {
        return false;
    }

    @Override
    public void beforeUpload(RepositoryName name, long declaredBytes, Optional<Digest> digest) throws IOException {
        Optional<QuotaRule> rule = ruleFor(name);
        if (rule.isEmpty()) return;
        long quota = rule.get().bytes();
        long used = current(name, quota);
        if (used >= quota || used + declaredBytes > quota) {
            Exact exact = exact(name, quota);
            used = exact.used;
            // A blob the repository already references adds nothing (a client re-sending a layer).
            if (digest.isPresent() && exact.sizes.containsKey(digest.get())) return;
            if (used >= quota || used + declaredBytes > quota) {
                throw refusal(name, rule.get(), used, declaredBytes > 0
                        ? "this upload declares " + declaredBytes + " bytes" : "no upload fits");
            }
        }
    }

    @Override
    public Admission admitManifest(RepositoryName name, Manifest manifest) throws IOException {
        Optional<QuotaRule> rule = ruleFor(name);
        if (rule.isEmpty()) return Admission.NONE;
        long quota = rule.get().bytes();
        ReentrantLock lock = locks.computeIfAbsent(name, n -> new ReentrantLock());
        lock.lock();
        try {
            long charge = manifest.bytes().length;
            for (Descriptor blob : manifest.blobReferences()) charge += blob.size();
            long used = current(name, quota);
            if (used + charge > quota) {
                Exact exact = exact(name, quota);
                used = exact.used;
                charge = exact.sizes.containsKey(manifest.digest()) ? 0 : manifest.bytes().length;
                for (Descriptor blob : manifest.blobReferences()) {
                    if (!exact.sizes.containsKey(blob.digest())) charge += blob.size();
                }
                if (charge > 0 && used + charge > quota) {
                    throw refusal(name, rule.get(), used, "this push adds " + charge + " bytes");
                }
            }
            if (charge == 0) return Admission.NONE;
            UsageLedger.Reservation reservation = ledger.reserve(name, charge);
            return new Held(reservation);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void afterManifestDelete(RepositoryName name, Digest digest) throws IOException {
        if (ruleFor(name).isPresent()) ledger.invalidate(name);
    }

    /** The ledger's usage, counting the repository first when its count is stale or missing. */
    private long current(RepositoryName name, long quota) throws IOException {
        UsageLedger.Reading reading = ledger.read(name);
        if (reading.counted().isEmpty()) return exact(name, quota).used;
        gauges.record(name, reading.used(), quota);
        return reading.used();
    }

    private record Exact(long used, Map<Digest, Long> sizes) {
    }

    /** Counts the repository now; what other pushes hold meanwhile still counts. */
    private Exact exact(RepositoryName name, long quota) throws IOException {
        UsageLedger.Count count = ledger.recount(name);
        UsageLedger.Reading after = ledger.read(name);
        // Reservations left are pushes in flight or stored since the walk began (over-counting at worst).
        long used = count.bytes() + after.reserved();
        gauges.record(name, used, quota);
        return new Exact(used, count.sizes());
    }

    private static RegistryException refusal(RepositoryName name, QuotaRule rule, long used, String what) {
        return RegistryException.withMessage(ErrorCode.DENIED, "quota exceeded: repository " + name + " used "
                + ByteSize.text(used) + " of " + ByteSize.text(rule.bytes()) + " (" + used + " of " + rule.bytes()
                + " bytes), " + what + "; rule " + rule.name());
    }

    /** A manifest PUT's reservation: committed once the manifest is stored, released if it failed. */
    private final class Held implements Admission {
        private final UsageLedger.Reservation reservation;

        Held(UsageLedger.Reservation reservation) {
            this.reservation = reservation;
        }

        @Override
        public void stored() {
            try {
                ledger.commit(reservation);
                UsageLedger.Reading reading = ledger.read(reservation.repository());
                if (reading.committedCount() >= RECOUNT_AFTER_COMMITS) ledger.recount(reservation.repository());
            } catch (IOException | RuntimeException e) {
                // The manifest is stored: the push succeeded. The pending reservation still holds
                // its bytes (over-counting) until a recount removes it once old; never under.
                LOG.warn("could not commit quota reservation {} of {}: {}", reservation.fileName(),
                        reservation.repository(), e.toString());
            }
        }

        @Override
        public void abandoned() {
            try {
                ledger.release(reservation);
            } catch (IOException | RuntimeException e) {
                // Held until a recount removes it once old: over-counting for a while, never under.
                LOG.warn("could not release quota reservation {} of {}: {}", reservation.fileName(),
                        reservation.repository(), e.toString());
            }
        }
    }
}
