package org.stevedore.policies;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.stevedore.model.Digest;
import org.stevedore.model.Tag;
import org.stevedore.policies.RepositorySnapshot.ManifestState;
import org.stevedore.policies.RepositorySnapshot.TagState;
import org.stevedore.policies.RetentionPlan.Action;
import org.stevedore.policies.RetentionPlan.ManifestDecision;
import org.stevedore.policies.RetentionPlan.TagDecision;

/**
 * Retention's decisions, a pure function of a repository snapshot, the rule, the immutable tags
 * and the time. Tags first: immutable ones stay, then a tag stays when any of the rule's criteria
 * keeps it ({@code keeptags}, {@code keeplatest}, {@code keepwithin}: pushed or pulled within). Then manifests: what a kept
 * tag points at stays, and so does everything a kept manifest reaches, its index children and its
 * referrers (signatures, SBOMs, attestations), transitively; so deleting a tag never breaks a kept
 * one. A manifest nothing kept reaches goes once pushed longer ago than {@code untagged} (and than
 * {@link #IN_FLIGHT}); a younger one stays, and keeps what it reaches in turn.
 */
public final class RetentionPlanner {
    /**
     * How long a manifest stays whatever {@code untagged} says: a push writes the manifest before
     * its tag, so a manifest this young may be a tagged push still in flight.
     */
    public static final Duration IN_FLIGHT = Duration.ofSeconds(30);

    private RetentionPlanner() {
    }

    public static RetentionPlan plan(RepositorySnapshot snapshot, RetentionRule rule, ImmutableTags immutable,
                                     Instant now) {
        List<TagDecision> tags = decideTags(snapshot, rule, immutable, now);
        Map<Digest, String> kept = new LinkedHashMap<>();
        for (TagDecision tag : tags) {
            if (tag.action() == Action.KEEP) kept.putIfAbsent(tag.digest(), "tagged " + tag.tag());
        }
        Map<Digest, List<Digest>> referrers = new HashMap<>();
        for (ManifestState manifest : snapshot.manifests().values()) {
            manifest.subject().ifPresent(subject -> referrers.computeIfAbsent(subject, s -> new ArrayList<>())
                    .add(manifest.digest()));
        }
        reach(snapshot, referrers, kept);
        // What nothing kept reaches: young enough manifests stay, and keep what they reach.
        Map<Digest, String> young = new LinkedHashMap<>();
        for (ManifestState manifest : sortedManifests(snapshot)) {
            if (kept.containsKey(manifest.digest())) continue;
            if (rule.untagged().isEmpty()) {
                young.put(manifest.digest(), "untagged; the rule sets no untagged age");
            } else if (!manifest.pushed().isBefore(now.minus(rule.untagged().get()))) {
                young.put(manifest.digest(), "untagged, pushed within " + text(rule.untagged().get()));
            } else if (!manifest.pushed().isBefore(now.minus(IN_FLIGHT))) {
                young.put(manifest.digest(), "pushed within " + text(IN_FLIGHT) + ": its tag may be on its way");
            }
        }
        kept.putAll(young);
        reach(snapshot, referrers, kept);

        Map<Digest, List<Tag>> tagsByDigest = new HashMap<>();
        for (TagState tag : snapshot.tags()) tagsByDigest.computeIfAbsent(tag.digest(), d -> new ArrayList<>()).add(tag.tag());
        List<ManifestDecision> manifests = new ArrayList<>();
        for (ManifestState manifest : sortedManifests(snapshot)) {
            Digest digest = manifest.digest();
            String reason = kept.get(digest);
            if (reason != null && reason.startsWith("tagged ")) continue; // shown with its tags
            List<Tag> pointing = tagsByDigest.getOrDefault(digest, List.of());
            if (reason != null) {
                manifests.add(new ManifestDecision(digest, pointing, Action.KEEP, reason, rule.name()));
            } else {
                manifests.add(new ManifestDecision(digest, pointing, Action.DELETE, (pointing.isEmpty() ? "untagged"
                        : "its tags go") + ", pushed more than " + text(rule.untagged().orElseThrow()) + " ago",
                        rule.name()));
            }
        }
        return new RetentionPlan(snapshot.name(), rule.name(), tags, manifests);
    }

    private static List<TagDecision> decideTags(RepositorySnapshot snapshot, RetentionRule rule,
                                                ImmutableTags immutable, Instant now) {
        List<TagState> byRecency = new ArrayList<>(snapshot.tags());
        byRecency.sort(Comparator.comparing(TagState::pushed).reversed().thenComparing(t -> t.tag().value()));
        Set<Tag> latest = byRecency.stream().limit(rule.keepLatest()).map(TagState::tag).collect(Collectors.toSet());
        List<TagState> byName = new ArrayList<>(snapshot.tags());
        byName.sort(Comparator.comparing(t -> t.tag().value()));
        List<TagDecision> decisions = new ArrayList<>();
        for (TagState tag : byName) {
            Optional<ImmutableRule> fixed = immutable.ruleFor(snapshot.name(), tag.tag());
            Optional<Glob> pattern = rule.keptTagPattern(tag.tag());
            if (fixed.isPresent()) {
                decisions.add(keep(tag, "immutable", fixed.get().name()));
            } else if (!rule.hasTagCriteria()) {
                decisions.add(keep(tag, "the rule has no tag criteria", rule.name()));
            } else if (pattern.isPresent()) {
                decisions.add(keep(tag, "matches keeptags \"" + pattern.get() + "\"", rule.name()));
            } else if (latest.contains(tag.tag())) {
                decisions.add(keep(tag, "among the " + rule.keepLatest() + " latest pushed", rule.name()));
            } else if (rule.keepWithin().isPresent() && !tag.pushed().isBefore(now.minus(rule.keepWithin().get()))) {
                decisions.add(keep(tag, "pushed within " + text(rule.keepWithin().get()), rule.name()));
            } else if (rule.keepWithin().isPresent() && tag.pulled().isPresent()
                    && !tag.pulled().get().isBefore(now.minus(rule.keepWithin().get()))) {
                decisions.add(keep(tag, "pulled within " + text(rule.keepWithin().get()), rule.name()));
            } else {
                decisions.add(new TagDecision(tag.tag(), tag.digest(), Action.DELETE, "kept by no criterion",
                        rule.name()));
            }
        }
        return decisions;
    }

    private static TagDecision keep(TagState tag, String reason, String rule) {
        return new TagDecision(tag.tag(), tag.digest(), Action.KEEP, reason, rule);
    }

    /** Adds to {@code kept} every manifest reachable from it through index children and referrers. */
    private static void reach(RepositorySnapshot snapshot, Map<Digest, List<Digest>> referrers, Map<Digest, String> kept) {
        Deque<Digest> pending = new ArrayDeque<>(kept.keySet());
        while (!pending.isEmpty()) {
            Digest from = pending.pop();
            ManifestState manifest = snapshot.manifests().get(from);
            if (manifest != null) {
                for (Digest child : manifest.children()) {
                    if (snapshot.manifests().containsKey(child) && kept.putIfAbsent(child, "child of kept index " + from) == null) {
                        pending.push(child);
                    }
                }
            }
            for (Digest referrer : referrers.getOrDefault(from, List.of())) {
                if (kept.putIfAbsent(referrer, "referrer of kept manifest " + from) == null) pending.push(referrer);
            }
        }
    }

    private static List<ManifestState> sortedManifests(RepositorySnapshot snapshot) {
        List<ManifestState> list = new ArrayList<>(snapshot.manifests().values());
        list.sort(Comparator.comparing(ManifestState::pushed).thenComparing(m -> m.digest().toString()));
        return list;
    }

    /** A duration as configuration writes it: 24h, 90m, 30s. */
    static String text(Duration duration) {
        long seconds = duration.getSeconds();
        if (seconds == 0) return "0s";
        if (seconds % 3600 == 0) return seconds / 3600 + "h";
        if (seconds % 60 == 0) return seconds / 60 + "m";
        return seconds + "s";
    }
}
