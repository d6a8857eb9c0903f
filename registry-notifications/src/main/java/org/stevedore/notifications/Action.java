package org.stevedore.notifications;

import java.util.Locale;

/** What an event says happened, with distribution's wire names ({@code notifications/event.go}). */
public enum Action {
    /** A manifest or blob was stored. */
    PUSH,
    /** A manifest or blob was served (a successful GET or HEAD, as in distribution). */
    PULL,
    /** A blob was mounted from another repository. */
    MOUNT,
    /** A manifest, tag or blob was deleted. */
    DELETE;

    /** The wire form: {@code push}, {@code pull}, {@code mount}, {@code delete}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a wire name, case-insensitively, as written in {@code ignore.actions}. */
    public static Action parse(String text) {
        for (Action action : values()) {
            if (action.wireName().equalsIgnoreCase(text.trim())) return action;
        }
        throw new IllegalArgumentException("'" + text + "' is not one of push, pull, mount, delete");
    }
}
