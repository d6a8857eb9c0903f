package org.stevedore.policies;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plans as people and machines read them: one line per tag and per manifest with the decision,
 * the reason and the rule; or plain maps and lists for a JSON writer (the command's
 * {@code --json} and the HTTP API give the same document).
 */
public final class RetentionOutput {
    private RetentionOutput() {
    }

    /** Text lines: a header per repository, then its tags and manifests. */
    public static List<String> lines(List<RetentionPlan> plans) {
        List<String> lines = new ArrayList<>();
        for (RetentionPlan plan : plans) {
            lines.add(plan.repository() + " (" + plan.rule() + ")");
            for (RetentionPlan.TagDecision tag : plan.tags()) {
                lines.add(String.format("  %-6s tag %s -> %s: %s [%s]", tag.action().word(), tag.tag(), tag.digest(),
                        tag.reason(), tag.rule()));
            }
            for (RetentionPlan.ManifestDecision manifest : plan.manifests()) {
                lines.add(String.format("  %-6s manifest %s%s: %s [%s]", manifest.action().word(), manifest.digest(),
                        manifest.tags().isEmpty() ? "" : " " + manifest.tags(), manifest.reason(), manifest.rule()));
            }
        }
        return lines;
    }

    /** One summary line: how many tags and manifests go. */
    public static String summary(List<RetentionPlan> plans) {
        int tags = plans.stream().mapToInt(p -> p.tagsToDelete().size()).sum();
        int manifests = plans.stream().mapToInt(p -> p.manifestsToDelete().size()).sum();
        return plans.size() + " repositories, " + tags + " tags and " + manifests + " manifests to delete";
    }

    /** {@code {"repositories":[{"name","rule","tags":[...],"manifests":[...]}]}}. */
    public static Map<String, Object> document(List<RetentionPlan> plans) {
        List<Object> repositories = new ArrayList<>();
        for (RetentionPlan plan : plans) {
            Map<String, Object> repository = new LinkedHashMap<>();
            repository.put("name", plan.repository().value());
            repository.put("rule", plan.rule());
            List<Object> tags = new ArrayList<>();
            for (RetentionPlan.TagDecision tag : plan.tags()) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("tag", tag.tag().value());
                entry.put("digest", tag.digest().toString());
                entry.put("action", tag.action().word());
                entry.put("reason", tag.reason());
                entry.put("rule", tag.rule());
                tags.add(entry);
            }
            repository.put("tags", tags);
            List<Object> manifests = new ArrayList<>();
            for (RetentionPlan.ManifestDecision manifest : plan.manifests()) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("digest", manifest.digest().toString());
                entry.put("tags", manifest.tags().stream().map(t -> t.value()).toList());
                entry.put("action", manifest.action().word());
                entry.put("reason", manifest.reason());
                entry.put("rule", manifest.rule());
                manifests.add(entry);
            }
            repository.put("manifests", manifests);
            repositories.add(repository);
        }
        return Map.of("repositories", repositories);
    }
}
