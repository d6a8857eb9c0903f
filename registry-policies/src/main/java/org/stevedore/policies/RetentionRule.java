package org.stevedore.policies;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.stevedore.model.Tag;

/**
 * One {@code policies.retention.rules} entry, applied to the repositories it matches (the first
 * matching rule wins). A tag is kept when any criterion keeps it; a rule without tag criteria
 * keeps every tag (it only cleans untagged manifests). Untagged manifests go only when
 * {@code untagged} is set, once older than it.
 *
 * @param name         how output names the rule, e.g. {@code policies.retention.rules[0]}
 * @param keepLatest   {@code keeplatest}: the N most recently pushed tags; 0 keeps none this way
 * @param keepTags     {@code keeptags}: tags matching any of these
 * @param keepWithin   {@code keepwithin}: tags pushed within this time
 * @param untagged     {@code untagged}: manifests no kept tag reaches go once older than this
 */
public record RetentionRule(String name, Glob repositories, int keepLatest, List<Glob> keepTags,
                            Optional<Duration> keepWithin, Optional<Duration> untagged) {
    public RetentionRule {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(repositories, "repositories");
        if (keepLatest < 0) throw new IllegalArgumentException("keeplatest must not be negative");
        keepTags = List.copyOf(keepTags);
        Objects.requireNonNull(keepWithin, "keepWithin");
        Objects.requireNonNull(untagged, "untagged");
        if (keepWithin.filter(Duration::isNegative).isPresent() || untagged.filter(Duration::isNegative).isPresent()) {
            throw new IllegalArgumentException("durations must not be negative");
        }
    }

    /** Whether the rule says anything about tags; without, every tag is kept. */
    public boolean hasTagCriteria() {
        return keepLatest > 0 || !keepTags.isEmpty() || keepWithin.isPresent();
    }

    /** The first {@code keeptags} pattern matching {@code tag}. */
    public Optional<Glob> keptTagPattern(Tag tag) {
        return keepTags.stream().filter(glob -> glob.matches(tag.value())).findFirst();
    }
}
