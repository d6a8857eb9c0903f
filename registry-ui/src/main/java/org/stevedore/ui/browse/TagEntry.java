package org.stevedore.ui.browse;

import java.time.Instant;

/** A tag and when it was last pushed (its current link's modification time). */
public record TagEntry(String tag, Instant pushed) {
}
