package org.stevedore.service;

import java.util.Optional;
import java.util.OptionalInt;
import org.stevedore.error.ErrorCode;

/**
 * What a client asked of a listing: at most {@code n} entries after {@code last}. Without
 * {@code n} the registry's page limit applies; a larger {@code n} is cut to that limit and the
 * client follows the {@code Link} header for the rest.
 */
public record PageRequest(OptionalInt n, Optional<String> last) {

    /** Parses the {@code n} and {@code last} query parameters. */
    public static PageRequest parse(Optional<String> n, Optional<String> last) {
        OptionalInt count = OptionalInt.empty();
        if (n.isPresent() && !n.get().isEmpty()) {
            String text = n.get();
            if (text.length() > 10 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw ErrorCode.PAGINATION_NUMBER_INVALID.withDetail("n must be a non-negative integer");
            }
            long value = Long.parseLong(text);
            count = OptionalInt.of((int) Math.min(value, Integer.MAX_VALUE));
        }
        return new PageRequest(count, last.filter(s -> !s.isEmpty()));
    }

    int limit(int maxPageSize) {
        return Math.min(n.orElse(maxPageSize), maxPageSize);
    }
}
