package org.stevedore.storage;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/** The page {@link StorageDriver#listPage} returns, cut from a whole listing. Public for drivers. */
public final class ListPages {
    private ListPages() {
    }

    /**
     * The {@code limit} children of {@code children} (full paths) whose names sort first after
     * {@code startAfter}, sorted by name. Keeps only {@code limit} of them while it looks, so a
     * first page of a large directory costs no full sort.
     */
    public static List<String> firstAfter(Collection<String> children, String startAfter, int limit) {
        Comparator<String> byName = Comparator.comparing(ListPages::name);
        PriorityQueue<String> kept = new PriorityQueue<>(byName.reversed()); // largest on top, dropped first
        for (String child : children) {
            if (name(child).compareTo(startAfter) <= 0) continue;
            if (kept.size() < limit) {
                kept.add(child);
            } else if (byName.compare(child, kept.peek()) < 0) {
                kept.poll();
                kept.add(child);
            }
        }
        List<String> page = new ArrayList<>(kept);
        page.sort(byName);
        return page;
    }

    /** The last segment of a path. */
    static String name(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
