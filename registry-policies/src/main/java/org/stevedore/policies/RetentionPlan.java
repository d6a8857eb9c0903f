package org.stevedore.policies;

import java.util.List;
import java.util.Objects;
import org.stevedore.model.Digest;
import org.stevedore.model.RepositoryName;
import org.stevedore.model.Tag;

/**
 * What retention decided for one repository: every tag, and every manifest no kept tag points at,
 * each with the reason and the rule that made the decision. A dry run prints it; a run carries
 * out its deletions.
 *
 * @param rule the retention rule that applies to the repository
 */
public record RetentionPlan(RepositoryName repository, String rule, List<TagDecision> tags,
                            List<ManifestDecision> manifests) {
    public RetentionPlan {
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(rule, "rule");
        tags = List.copyOf(tags);
        manifests = List.copyOf(manifests);
    }

    /** Keep or delete. */
    public enum Action {
        KEEP, DELETE;

        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** @param rule the rule behind the decision: a retention rule, or an immutable rule for a tag it covers */
    public record TagDecision(Tag tag, Digest digest, Action action, String reason, String rule) {
    }

    /** A manifest no kept tag points at; {@code tags} are the (deleted) tags that point at it now. */
    public record ManifestDecision(Digest digest, List<Tag> tags, Action action, String reason, String rule) {
        public ManifestDecision {
            tags = List.copyOf(tags);
        }
    }

    public List<TagDecision> tagsToDelete() {
        return tags.stream().filter(d -> d.action() == Action.DELETE).toList();
    }

    public List<ManifestDecision> manifestsToDelete() {
        return manifests.stream().filter(d -> d.action() == Action.DELETE).toList();
    }
}
