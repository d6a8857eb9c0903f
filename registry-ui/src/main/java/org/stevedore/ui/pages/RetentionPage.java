package org.stevedore.ui.pages;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.stevedore.model.RepositoryName;
import org.stevedore.policies.RetentionPlan;
import org.stevedore.service.Page;
import org.stevedore.ui.browse.Governance;

/**
 * {@code GET /ui/retention}: what the next retention run would keep and delete, and which rule
 * decided, for administrators only. Planned from storage as {@code stevedore retention --dry-run}
 * plans it; nothing is written. The overview pages through the repositories a rule applies to,
 * each with its counts and first deletions; {@code ?repository=NAME} lists every decision of one.
 */
final class RetentionPage {
    static final int REPOSITORIES_PER_PAGE = 20;
    static final int DELETIONS_IN_OVERVIEW = 10;
    static final int DECISIONS_PER_PAGE = 200;

    private final Pages pages;

    RetentionPage(Pages pages) {
        this.pages = pages;
    }

    void show(UiRequest request) throws IOException {
        Optional<Governance> governance = pages.governance();
        if (governance.isEmpty()) {
            request.error(404, "Not found", "This registry's UI shows no governance.");
            return;
        }
        if (!pages.access().mayAdminister(request.user())) {
            if (request.user().isEmpty() && pages.access().authEnabled()) {
                request.redirect("/ui/login");
            } else {
                request.error(403, "Not allowed", "The retention preview is for administrators (access registry:admin:*).");
            }
            return;
        }
        String repository = request.query("repository");
        if (repository.isEmpty()) {
            overview(request, governance.get());
        } else {
            repository(request, governance.get(), repository);
        }
    }

    private void overview(UiRequest request, Governance governance) throws IOException {
        Map<String, Object> model = request.model("Retention preview");
        model.put("configured", governance.retentionConfigured());
        List<Map<String, Object>> plans = new ArrayList<>();
        if (governance.retentionConfigured()) {
            Optional<String> last = Optional.of(request.query("last")).filter(s -> !s.isEmpty());
            Page page = pages.browser().repositories(REPOSITORIES_PER_PAGE, last, name -> retained(governance, name));
            for (String name : page.items()) {
                Optional<RetentionPlan> plan = governance.plan(RepositoryName.of(name));
                if (plan.isPresent()) plans.add(summary(plan.get(), DELETIONS_IN_OVERVIEW));
            }
            model.put("nextPage", page.next().map(n -> "/ui/retention?last=" + UiRequest.encode(n)).orElse(null));
            model.put("firstPage", last.isPresent() ? "/ui/retention" : null);
        }
        model.put("plans", plans);
        request.html(200, "retention", model);
    }

    private void repository(UiRequest request, Governance governance, String repository) throws IOException {
        RepositoryName name;
        try {
            name = RepositoryName.of(repository);
        } catch (RuntimeException invalid) {
            request.error(400, "Bad request", "That is not a repository name.");
            return;
        }
        Optional<RetentionPlan> plan = governance.plan(name);
        if (plan.isEmpty()) {
            request.error(404, "Not found", "No retention rule applies to " + name.value() + ", or it does not exist.");
            return;
        }
        List<Map<String, Object>> decisions = decisions(plan.get());
        int pageCount = Math.max(1, (decisions.size() + DECISIONS_PER_PAGE - 1) / DECISIONS_PER_PAGE);
        int page = Math.min(RepositoryPage.pageNumber(request.query("page")), pageCount);
        Map<String, Object> summary = summary(plan.get(), 0);
        summary.put("decisions", decisions.subList((page - 1) * DECISIONS_PER_PAGE,
                Math.min(decisions.size(), page * DECISIONS_PER_PAGE)));
        Map<String, Object> model = request.model("Retention preview of " + name.value());
        model.put("configured", true);
        model.put("repository", name.value());
        model.put("plans", List.of(summary));
        String base = "/ui/retention?repository=" + UiRequest.encode(name.value()) + "&page=";
        model.put("page", page);
        model.put("pages", pageCount > 1 ? String.valueOf(pageCount) : null);
        model.put("previousPage", page > 1 ? base + (page - 1) : null);
        model.put("nextPage", page < pageCount ? base + (page + 1) : null);
        request.html(200, "retention", model);
    }

    /** Name, rule, counts, and the first {@code shownDeletions} deletions (tags first). */
    private static Map<String, Object> summary(RetentionPlan plan, int shownDeletions) {
        String name = plan.repository().value();
        Map<String, Object> model = new HashMap<>();
        model.put("name", name);
        model.put("rule", plan.rule());
        model.put("tagsKept", plan.tags().size() - plan.tagsToDelete().size());
        model.put("tagsDeleted", plan.tagsToDelete().size());
        model.put("manifestsKept", plan.manifests().size() - plan.manifestsToDelete().size());
        model.put("manifestsDeleted", plan.manifestsToDelete().size());
        model.put("details", "/ui/retention?repository=" + UiRequest.encode(name));
        List<Map<String, Object>> deletions = new ArrayList<>();
        for (RetentionPlan.TagDecision tag : plan.tagsToDelete()) {
            if (deletions.size() < shownDeletions) deletions.add(GovernanceModels.tagDecision(name, tag));
        }
        for (RetentionPlan.ManifestDecision manifest : plan.manifestsToDelete()) {
            if (deletions.size() < shownDeletions) deletions.add(GovernanceModels.manifestDecision(name, manifest));
        }
        int total = plan.tagsToDelete().size() + plan.manifestsToDelete().size();
        model.put("decisions", deletions);
        model.put("more", total > deletions.size() && shownDeletions > 0 ? total - deletions.size() : null);
        return model;
    }

    /** Every decision, deletions first, tags before manifests. */
    private static List<Map<String, Object>> decisions(RetentionPlan plan) {
        String name = plan.repository().value();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (RetentionPlan.Action action : List.of(RetentionPlan.Action.DELETE, RetentionPlan.Action.KEEP)) {
            for (RetentionPlan.TagDecision tag : plan.tags()) {
                if (tag.action() == action) rows.add(GovernanceModels.tagDecision(name, tag));
            }
            for (RetentionPlan.ManifestDecision manifest : plan.manifests()) {
                if (manifest.action() == action) rows.add(GovernanceModels.manifestDecision(name, manifest));
            }
        }
        return rows;
    }

    private static boolean retained(Governance governance, String name) {
        try {
            return governance.retained(RepositoryName.of(name));
        } catch (RuntimeException invalidName) {
            return false;
        }
    }
}
