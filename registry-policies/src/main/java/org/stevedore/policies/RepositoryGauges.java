package org.stevedore.policies;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.stevedore.model.RepositoryName;

/**
 * The usage and quota of repositories with a quota, as this node last read them, for a gauge per
 * repository. Bounded: at most {@link #MAX_REPOSITORIES} repositories get a label each (a scrape's
 * size and the metric store's memory stay bounded however many repositories push); the rest are
 * left out and counted in {@link #omitted()}.
 */
public final class RepositoryGauges {
    /** Most repositories a scrape shows. */
    public static final int MAX_REPOSITORIES = 500;

    /** One repository's figures. */
    public record Figures(long usedBytes, long quotaBytes) {
    }

    private final Map<String, Figures> figures = new ConcurrentHashMap<>();
    private final java.util.Set<String> omitted = ConcurrentHashMap.newKeySet();

    void record(RepositoryName name, long used, long quota) {
        String key = name.value();
        if (figures.containsKey(key) || figures.size() < MAX_REPOSITORIES) {
            figures.put(key, new Figures(used, quota));
        } else if (omitted.size() < 100_000) {
            omitted.add(key);
        }
    }

    /** Calls {@code each} with every repository shown and its figures. */
    public void forEach(BiConsumer<String, Figures> each) {
        figures.forEach(each);
    }

    /** Repositories left out because {@link #MAX_REPOSITORIES} were shown already. */
    public int omitted() {
        return omitted.size();
    }
}
