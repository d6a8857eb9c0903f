package org.stevedore.service;

import java.util.List;
import java.util.Optional;

/**
 * One page of a sorted listing (tags, repositories).
 *
 * @param items the entries, sorted
 * @param next  the last entry of this page when more follow, to be sent as {@code last}
 */
public record Page(List<String> items, Optional<String> next) {
    public Page {
        items = List.copyOf(items);
    }

    /** Takes the page after {@code last} of at most {@code limit} entries from sorted {@code all}. */
    static Page of(List<String> sorted, Optional<String> last, int limit) {
        int from = 0;
        if (last.isPresent()) {
            int index = java.util.Collections.binarySearch(sorted, last.get());
            from = index >= 0 ? index + 1 : -index - 1;
        }
        int to = (int) Math.min((long) from + limit, sorted.size());
        List<String> items = sorted.subList(from, Math.max(from, to));
        Optional<String> next = to < sorted.size() && !items.isEmpty()
                ? Optional.of(items.get(items.size() - 1)) : Optional.empty();
        return new Page(items, next);
    }
}
