package org.stevedore.ui.pages;

import java.util.HashMap;
import java.util.Map;
import org.stevedore.policies.RetentionPlan;
import org.stevedore.ui.browse.Governance;

/** The template fields of governance figures: a usage against its quota, a retention decision. */
final class GovernanceModels {
    private GovernanceModels() {
    }

    /** {@code used}, {@code usedBytes}, {@code blobs}, {@code manifests}; with a quota also {@code quota}, {@code quotaBytes}, {@code percent}, {@code over}. */
    static Map<String, Object> usage(Governance.Usage usage) {
        Map<String, Object> model = new HashMap<>();
        model.put("used", Formats.size(usage.usage().bytes()));
        model.put("usedBytes", usage.usage().bytes());
        model.put("blobs", usage.usage().blobs());
        model.put("manifests", usage.usage().manifests());
        if (usage.quota().isPresent()) {
            long quota = usage.quota().getAsLong();
            model.put("quota", Formats.size(quota));
            model.put("quotaBytes", quota);
            // A meter's value past its max is drawn full: clamp, the text gives the real figure.
            model.put("meterValue", Math.min(usage.usage().bytes(), quota));
            model.put("percent", usage.percent());
            model.put("over", usage.usage().bytes() > quota);
        }
        return model;
    }

    /** One retention decision as a table row. */
    static Map<String, Object> tagDecision(String repository, RetentionPlan.TagDecision decision) {
        Map<String, Object> row = decision(decision.action(), decision.reason(), decision.rule());
        row.put("kind", "tag");
        row.put("label", decision.tag().value());
        row.put("digest", decision.digest().toString());
        row.put("href", "/ui/m/" + repository + "@" + decision.digest());
        return row;
    }

    static Map<String, Object> manifestDecision(String repository, RetentionPlan.ManifestDecision decision) {
        Map<String, Object> row = decision(decision.action(), decision.reason(), decision.rule());
        row.put("kind", "manifest");
        row.put("label", Formats.shortDigest(decision.digest()));
        row.put("digest", decision.digest().toString());
        row.put("href", "/ui/m/" + repository + "@" + decision.digest());
        return row;
    }

    private static Map<String, Object> decision(RetentionPlan.Action action, String reason, String rule) {
        Map<String, Object> row = new HashMap<>();
        row.put("action", action.word());
        row.put("delete", action == RetentionPlan.Action.DELETE);
        row.put("reason", reason);
        row.put("rule", rule);
        return row;
    }
}
