package org.stevedore.ui.pages;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.stevedore.model.RepositoryName;
import org.stevedore.service.Page;
import org.stevedore.ui.browse.RepositorySummary;

/**
 * {@code GET /ui/}: the repositories the user may pull, filtered by name, a page at a time; with
 * governance, each one's usage and quota.
 */
final class RepositoriesPage {
    static final int PAGE_SIZE = 50;
    private static final int MAX_FILTER = 255;

    private final Pages pages;

    RepositoriesPage(Pages pages) {
        this.pages = pages;
    }

    void show(UiRequest request) throws IOException {
        String q = request.query("q").strip();
        if (q.length() > MAX_FILTER) q = q.substring(0, MAX_FILTER);
        String filter = q;
        Optional<String> last = Optional.of(request.query("last")).filter(s -> !s.isEmpty());
        Predicate<String> visible = name -> name.contains(filter) && mayPull(request, name);
        Page page = pages.browser().repositories(PAGE_SIZE, last, visible);
        if (page.items().isEmpty() && last.isEmpty() && q.isEmpty() && pages.access().authEnabled()
                && request.user().isEmpty()) {
            request.redirect("/ui/login");
            return;
        }
        List<Map<String, Object>> rows = new ArrayList<>(page.items().size());
        for (String name : page.items()) {
            RepositorySummary summary = pages.browser().summarize(RepositoryName.of(name));
            Map<String, Object> row = new HashMap<>(Map.of("name", name, "tagCount", summary.tagCount(),
                    "size", Formats.size(summary.size()),
                    "lastPushIso", summary.lastPush().map(Object::toString).orElse(""),
                    "lastPushAge", summary.lastPush().map(t -> Formats.age(t, pages.clock().instant())).orElse("never")));
            if (pages.governance().isPresent()) {
                // The size shown is then the policies' usage, the figure quotas are enforced on.
                Map<String, Object> usage = GovernanceModels.usage(pages.governance().get().usage(RepositoryName.of(name)));
                row.put("size", usage.get("used"));
                row.put("usage", usage);
            }
            rows.add(row);
        }
        Map<String, Object> model = request.model("Repositories");
        model.put("governance", pages.governance().isPresent());
        model.put("q", q);
        model.put("repositories", rows);
        String query = q.isEmpty() ? "" : "q=" + UiRequest.encode(q) + "&";
        model.put("nextPage", page.next().map(n -> "/ui/?" + query + "last=" + UiRequest.encode(n)).orElse(null));
        model.put("firstPage", last.isPresent() ? "/ui/" + (q.isEmpty() ? "" : "?q=" + UiRequest.encode(q)) : null);
        request.html(200, "repositories", model);
    }

    private boolean mayPull(UiRequest request, String name) {
        try {
            return pages.access().mayPull(request.user(), RepositoryName.of(name));
        } catch (RuntimeException invalidName) {
            return false; // a directory no client could address by that name
        }
    }
}
