package org.stevedore.launcher;

import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;
import org.apache.commons.text.similarity.LevenshteinDistance;

/**
 * "Did you mean ...": the known key nearest a mistyped one, when it is a slip of a letter or two
 * ({@code enable} for {@code enabled}, {@code adr} for {@code addr}) rather than another word.
 */
final class KeySuggestion {
    private static final LevenshteinDistance DISTANCE = LevenshteinDistance.getDefaultInstance();

    private KeySuggestion() {
    }

    /** The closest of {@code known} to {@code typed}, compared without case, if close enough. */
    static Optional<String> nearest(String typed, Collection<String> known) {
        String key = typed.toLowerCase(Locale.ROOT);
        // One edit for keys of up to three letters ("adr"), two from four (a swap, "paht", is two).
        int allowed = key.length() >= 4 ? 2 : 1;
        return known.stream()
                .filter(candidate -> !candidate.equalsIgnoreCase(typed))
                .map(candidate -> new Scored(candidate, DISTANCE.apply(key, candidate.toLowerCase(Locale.ROOT))))
                .filter(scored -> scored.distance() <= allowed)
                .min(Comparator.comparingInt(Scored::distance).thenComparing(Scored::key))
                .map(Scored::key);
    }

    private record Scored(String key, int distance) {
    }
}
