package org.stevedore.policies;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.stevedore.model.Digest;
import org.stevedore.model.ManifestParser;
import org.stevedore.model.RepositoryName;
import org.stevedore.model.Tag;
import org.stevedore.policies.RepositorySnapshot.ManifestState;
import org.stevedore.policies.RepositorySnapshot.TagState;

/** Retention's decisions on hand-built snapshots: each criterion, and what kept manifests keep. */
class RetentionPlannerTest {
    private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    private static final RepositoryName REPO = RepositoryName.of("ci/app");
    private static final ImmutableTags NO_IMMUTABLE = new ImmutableTags(List.of());

    private final Map<Digest, ManifestState> manifests = new LinkedHashMap<>();
    private final List<TagState> tags = new java.util.ArrayList<>();

    @Test
    void eachTagCriterionKeepsAndTheRestGo() {
        Digest a = manifest("a", hoursAgo(2000));
        Digest b = manifest("b", hoursAgo(1000));
        Digest c = manifest("c", hoursAgo(10));
        Digest d = manifest("d", hoursAgo(3000));
        Digest e = manifest("e", hoursAgo(1));
        tag("main", a, hoursAgo(2000));
        tag("v1.0", b, hoursAgo(1000));
        tag("feature-x", c, hoursAgo(10));
        tag("old", d, hoursAgo(3000));
        tag("newest", e, hoursAgo(1));

        RetentionRule rule = rule(1, List.of("main", "v*"), Optional.of(Duration.ofHours(24)), Optional.of(Duration.ofHours(1)));
        RetentionPlan plan = RetentionPlanner.plan(snapshot(), rule, NO_IMMUTABLE, NOW);

        assertEquals(List.of(
                "feature-x keep pushed within 24h",
                "main keep matches keeptags \"main\"",
                "newest keep among the 1 latest pushed",
                "old delete kept by no criterion",
                "v1.0 keep matches keeptags \"v*\""), tagLines(plan));
        assertEquals(List.of(d + " [old] delete its tags go, pushed more than 1h ago"), manifestLines(plan));
    }

    @Test
    void immutableTagsAreKeptNamingTheirRule() {
        Digest a = manifest("a", hoursAgo(5000));
        tag("v1", a, hoursAgo(5000));
        ImmutableTags immutable = new ImmutableTags(List.of(new ImmutableRule("policies.immutable[3]", Glob.of("ci/**"),
                Glob.of("v*"))));

        RetentionPlan plan = RetentionPlanner.plan(snapshot(), rule(0, List.of("main"), Optional.empty(),
                Optional.of(Duration.ZERO)), immutable, NOW);

        assertEquals(RetentionPlan.Action.KEEP, plan.tags().get(0).action());
        assertEquals("policies.immutable[3]", plan.tags().get(0).rule());
        assertEquals(List.of(), plan.manifests());
    }

    @Test
    void keptIndexesKeepTheirChildrenAndKeptManifestsTheirReferrersTransitively() {
        Digest amd64 = manifest("amd64", hoursAgo(900));
        Digest arm64 = manifest("arm64", hoursAgo(900));
        Digest index = manifest("index", hoursAgo(900), List.of(amd64, arm64), Optional.empty());
        Digest signature = manifest("signature", hoursAgo(900), List.of(), Optional.of(index));
        Digest sbom = manifest("sbom", hoursAgo(900), List.of(), Optional.of(amd64));
        Digest sbomSignature = manifest("sbom-signature", hoursAgo(900), List.of(), Optional.of(sbom));
        Digest orphan = manifest("orphan", hoursAgo(900));
        Digest orphanSignature = manifest("orphan-signature", hoursAgo(900), List.of(), Optional.of(orphan));
        tag("release", index, hoursAgo(900));

        RetentionPlan plan = RetentionPlanner.plan(snapshot(), rule(0, List.of("release"), Optional.empty(),
                Optional.of(Duration.ofHours(24))), NO_IMMUTABLE, NOW);

        Map<Digest, String> decisions = new LinkedHashMap<>();
        plan.manifests().forEach(m -> decisions.put(m.digest(), m.action().word() + " " + m.reason()));
        assertEquals("keep child of kept index " + index, decisions.get(amd64));
        assertEquals("keep child of kept index " + index, decisions.get(arm64));
        assertEquals("keep referrer of kept manifest " + index, decisions.get(signature));
        assertEquals("keep referrer of kept manifest " + amd64, decisions.get(sbom));
        assertEquals("keep referrer of kept manifest " + sbom, decisions.get(sbomSignature));
        assertEquals("delete untagged, pushed more than 24h ago", decisions.get(orphan));
        assertEquals("delete untagged, pushed more than 24h ago", decisions.get(orphanSignature));
        assertEquals(7, decisions.size(), "the tagged index is listed with its tag only");
    }

    @Test
    void aYoungUntaggedIndexKeepsItsOldChildrenAndNoUntaggedAgeKeepsEverything() {
        Digest child = manifest("child", hoursAgo(900));
        Digest index = manifest("index", hoursAgo(2), List.of(child), Optional.empty());
        RetentionRule withAge = rule(0, List.of(), Optional.empty(), Optional.of(Duration.ofHours(24)));
        RetentionRule withoutAge = rule(5, List.of(), Optional.empty(), Optional.empty());

        RetentionPlan young = RetentionPlanner.plan(snapshot(), withAge, NO_IMMUTABLE, NOW);
        RetentionPlan unset = RetentionPlanner.plan(snapshot(), withoutAge, NO_IMMUTABLE, NOW);

        assertEquals(List.of(child + " [] keep child of kept index " + index,
                index + " [] keep untagged, pushed within 24h"), manifestLines(young));
        assertEquals(List.of(), unset.manifestsToDelete());
    }

    @Test
    void aRuleWithoutTagCriteriaKeepsEveryTag() {
        tag("anything", manifest("a", hoursAgo(9000)), hoursAgo(9000));

        RetentionPlan plan = RetentionPlanner.plan(snapshot(), rule(0, List.of(), Optional.empty(),
                Optional.of(Duration.ofHours(1))), NO_IMMUTABLE, NOW);

        assertEquals(List.of("anything keep the rule has no tag criteria"), tagLines(plan));
    }

    private RetentionRule rule(int keepLatest, List<String> keepTags, Optional<Duration> within, Optional<Duration> untagged) {
        return new RetentionRule("policies.retention.rules[0]", Glob.of("ci/**"), keepLatest,
                keepTags.stream().map(Glob::of).toList(), within, untagged);
    }

    private RepositorySnapshot snapshot() {
        return new RepositorySnapshot(REPO, tags, manifests);
    }

    private Digest manifest(String name, Instant pushed) {
        return manifest(name, pushed, List.of(), Optional.empty());
    }

    private Digest manifest(String name, Instant pushed, List<Digest> children, Optional<Digest> subject) {
        Digest digest = ManifestParser.sha256(name.getBytes());
        manifests.put(digest, new ManifestState(digest, pushed, children, subject));
        return digest;
    }

    private void tag(String name, Digest digest, Instant pushed) {
        tags.add(new TagState(Tag.of(name), digest, pushed));
    }

    private static Instant hoursAgo(long hours) {
        return NOW.minus(Duration.ofHours(hours));
    }

    private static List<String> tagLines(RetentionPlan plan) {
        return plan.tags().stream().map(t -> t.tag() + " " + t.action().word() + " " + t.reason()).toList();
    }

    private static List<String> manifestLines(RetentionPlan plan) {
        return plan.manifests().stream().map(m -> m.digest() + " " + m.tags() + " " + m.action().word() + " "
                + m.reason()).toList();
    }
}
