package org.stevedore.policies;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.stevedore.error.RegistryException;
import org.stevedore.model.Digest;
import org.stevedore.model.RepositoryName;
import org.stevedore.model.Tag;
import org.stevedore.service.RegistryService;
import org.stevedore.service.RepositoryContents;

/**
 * Runs retention over a registry's storage: {@link #plan} reads every repository a rule matches
 * and decides (nothing is written); {@link #apply} deletes what a plan says, tags first, then
 * manifests, through the registry's own manifest service (so immutable tags stay refused).
 * Blobs are never deleted here: garbage collection, with its grace period for pushes in flight,
 * removes what no manifest references any more.
 *
 * <p>Online, storage may change between plan and deletion; each deletion re-checks its premise
 * and is skipped when it no longer holds: a tag that moved is not deleted, nor a manifest that a
 * tag now points at again.
 */
public final class Retention {
    private final RegistryService service;
    private final RetentionPolicy policy;
    private final ImmutableTags immutable;
    private final Clock clock;

    public Retention(RegistryService service, Policies policies, Clock clock) {
        this.service = service;
        this.policy = policies.retention();
        this.immutable = policies.immutableTags();
        this.clock = clock;
    }

    /** The plans of every repository some rule matches, in repository order. */
    public List<RetentionPlan> plan() throws IOException {
        List<RetentionPlan> plans = new ArrayList<>();
        List<RepositoryName> names = new ArrayList<>(RepositoryContents.repositories(service.storage()));
        names.sort(java.util.Comparator.comparing(RepositoryName::value));
        for (RepositoryName name : names) {
            Optional<RetentionRule> rule = policy.ruleFor(name);
            if (rule.isEmpty()) continue;
            plans.add(RetentionPlanner.plan(RepositorySnapshot.read(service, name), rule.get(), immutable,
                    clock.instant()));
        }
        return plans;
    }

    /** The plan of one repository; empty when no rule matches it. */
    public Optional<RetentionPlan> plan(RepositoryName name) throws IOException {
        Optional<RetentionRule> rule = policy.ruleFor(name);
        if (rule.isEmpty()) return Optional.empty();
        return Optional.of(RetentionPlanner.plan(RepositorySnapshot.read(service, name), rule.get(), immutable,
                clock.instant()));
    }

    /** What a run did. */
    public record Outcome(int tagsDeleted, int manifestsDeleted, List<String> skipped) {
        public Outcome {
            skipped = List.copyOf(skipped);
        }
    }

    /** Carries out the deletions of {@code plans}; {@code log} is told each one. */
    public Outcome apply(List<RetentionPlan> plans, Consumer<String> log) throws IOException {
        int tags = 0;
        int manifests = 0;
        List<String> skipped = new ArrayList<>();
        for (RetentionPlan plan : plans) {
            RepositoryName name = plan.repository();
            for (RetentionPlan.TagDecision tag : plan.tagsToDelete()) {
                if (!RepositoryContents.current(service.storage(), name, tag.tag()).equals(Optional.of(tag.digest()))) {
                    skipped.add(name + ":" + tag.tag() + " moved since the plan; kept");
                    continue;
                }
                if (deleted(name, tag.tag(), skipped)) {
                    service.storage().delete(org.stevedore.storage.layout.StorageLayout.tagPulled(name, tag.tag()));
                    tags++;
                    log.accept("deleted tag " + name + ":" + tag.tag());
                }
            }
            for (RetentionPlan.ManifestDecision manifest : plan.manifestsToDelete()) {
                List<Tag> now = RepositoryContents.tagsPointingAt(service.storage(), name, manifest.digest());
                if (!manifest.tags().containsAll(now)) {
                    skipped.add(name + "@" + manifest.digest() + " tagged again since the plan; kept");
                    continue;
                }
                if (deleted(name, manifest.digest(), skipped)) {
                    manifests++;
                    log.accept("deleted manifest " + name + "@" + manifest.digest());
                }
            }
        }
        skipped.forEach(log);
        return new Outcome(tags, manifests, skipped);
    }

    private boolean deleted(RepositoryName name, org.stevedore.model.Reference reference, List<String> skipped)
            throws IOException {
        try {
            service.manifests().delete(name, reference);
            return true;
        } catch (RegistryException refused) {
            // Already gone (another node's run) or refused (an immutable rule added since): not ours to force.
            skipped.add(name + (reference instanceof Digest ? "@" : ":") + reference + ": "
                    + refused.clientMessage() + refused.detail().map(d -> " (" + d + ")").orElse(""));
            return false;
        }
    }
}
