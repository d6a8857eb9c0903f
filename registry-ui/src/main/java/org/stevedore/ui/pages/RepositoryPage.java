package org.stevedore.ui.pages;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.stevedore.model.RepositoryName;
import org.stevedore.ui.browse.Browser;
import org.stevedore.ui.browse.TagDetails;
import org.stevedore.ui.browse.TagEntry;

/**
 * {@code GET /ui/r/NAME}: its tags, newest push first, filtered and paged, with pull commands;
 * with governance, its usage against its quota (anyone who may pull it) and a link to its
 * retention preview (administrators).
 */
final class RepositoryPage {
    static final int PAGE_SIZE = 50;
    private static final int MAX_FILTER = 128;

    private final Pages pages;

    RepositoryPage(Pages pages) {
        this.pages = pages;
    }

    void show(UiRequest request, RepositoryName name) throws IOException {
        if (!Guard.mayPull(pages, request, name)) return;
        String q = request.query("q").strip();
        if (q.length() > MAX_FILTER) q = q.substring(0, MAX_FILTER);
        String filter = q;
        List<TagEntry> tags = pages.browser().tags(name, q.isEmpty() ? Browser.ALL_TAGS : tag -> tag.contains(filter));
        if (tags.isEmpty() && !pages.browser().exists(name)) {
            Guard.notFound(request);
            return;
        }
        int pageCount = Math.max(1, (tags.size() + PAGE_SIZE - 1) / PAGE_SIZE);
        int page = Math.min(pageNumber(request.query("page")), pageCount);
        List<TagEntry> shown = tags.subList((page - 1) * PAGE_SIZE, Math.min(tags.size(), page * PAGE_SIZE));
        Instant now = pages.clock().instant();
        String host = request.host();
        boolean mayDelete = pages.access().mayDelete(request.user(), name);
        List<Map<String, Object>> rows = new ArrayList<>(shown.size());
        for (TagDetails tag : pages.browser().details(name, shown)) {
            rows.add(Map.of("tag", tag.tag(), "digest", tag.digest().toString(),
                    "shortDigest", Formats.shortDigest(tag.digest()), "size", Formats.size(tag.summary().size()),
                    "platforms", String.join(", ", tag.summary().platforms()),
                    "pushedIso", tag.pushed().toString(), "age", Formats.age(tag.pushed(), now),
                    "pullTag", "docker pull " + host + "/" + name.value() + ":" + tag.tag(),
                    "pullDigest", "docker pull " + host + "/" + name.value() + "@" + tag.digest()));
        }
        Map<String, Object> model = request.model(name.value());
        model.put("name", name.value());
        model.put("q", q);
        model.put("tags", rows);
        model.put("total", tags.size());
        model.put("one", tags.size() == 1);
        model.put("page", page);
        model.put("pages", pageCount > 1 ? String.valueOf(pageCount) : null);
        model.put("mayDelete", mayDelete);
        model.put("deleted", request.query("deleted"));
        String base = "/ui/r/" + name.value() + "?" + (q.isEmpty() ? "" : "q=" + UiRequest.encode(q) + "&") + "page=";
        if (pages.governance().isPresent()) {
            model.put("usage", GovernanceModels.usage(pages.governance().get().usage(name)));
            boolean preview = pages.governance().get().retained(name) && pages.access().mayAdminister(request.user());
            model.put("retentionPreview", preview ? "/ui/retention?repository=" + UiRequest.encode(name.value()) : null);
        }
        model.put("previousPage", page > 1 ? base + (page - 1) : null);
        model.put("nextPage", page < pageCount ? base + (page + 1) : null);
        request.html(200, "repository", model);
    }

    static int pageNumber(String text) {
        if (text.isEmpty() || text.length() > 6 || !text.chars().allMatch(Character::isDigit)) return 1;
        return Math.max(1, Integer.parseInt(text));
    }
}
