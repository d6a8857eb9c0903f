package org.stevedore.storage;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.PriorityQueue;

/** The page {@link StorageDriver#listPage} returns, cut from a whole listing. Public for drivers. */
public final class ListPages {
    private ListPages() {
    }

    /**
     * The {@code limit} children of {@code children} (full paths) whose names sort first after
     * {@code startAfter}, sorted by name.
     */
    public static List<String> firstAfter(Collection<String> children, String startAfter, int limit) {
        if (children.isEmpty()) return List.of();
        String first = children.iterator().next();
        String prefix = first.substring(0, first.lastIndexOf('/') + 1);
        List<String> names = new ArrayList<>(children.size());
        for (String child : children) names.add(child.substring(child.lastIndexOf('/') + 1));
        List<String> page = firstNamesAfter(names, startAfter, limit);
        page.replaceAll(name -> prefix + name);
        return page;
    }

    /**
     * The {@code limit} names of {@code names} that sort first after {@code startAfter}, sorted.
     * Keeps only {@code limit} of them while it looks, so a first page of a large directory costs
     * one pass and no full sort.
     */
    public static List<String> firstNamesAfter(Iterable<String> names, String startAfter, int limit) {
        PriorityQueue<String> kept = new PriorityQueue<>(Collections.reverseOrder()); // largest on top, dropped first
        for (String name : names) {
            if (name.compareTo(startAfter) <= 0) continue;
            if (kept.size() < limit) {
                kept.add(name);
            } else if (name.compareTo(kept.peek()) < 0) {
                kept.poll();
                kept.add(name);
            }
        }
        List<String> page = new ArrayList<>(kept);
        Collections.sort(page);
        return page;
    }
}
