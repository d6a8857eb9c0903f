package org.stevedore.launcher;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as distribution's config file writes them (Go's {@code time.ParseDuration}):
 * {@code 10s}, {@code 1m30s}, {@code 168h}, {@code 1.5h}, {@code 250ms}. A bare number is
 * nanoseconds, as Go's YAML reads an integer into a {@code time.Duration}.
 */
final class GoDuration {
    private static final Pattern PART = Pattern.compile("([0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(ns|us|µs|ms|s|m|h)");
    private static final Pattern WHOLE = Pattern.compile("(?:" + PART.pattern() + ")+");
    private static final Map<String, Long> NANOS = Map.of(
            "ns", 1L, "us", 1_000L, "µs", 1_000L, "ms", 1_000_000L, "s", 1_000_000_000L,
            "m", 60_000_000_000L, "h", 3_600_000_000_000L);

    private GoDuration() {
    }

    static Duration parse(String text) {
        String trimmed = text.trim();
        if (trimmed.matches("[0-9]+")) return Duration.ofNanos(inRange(new BigDecimal(trimmed), text));
        if (trimmed.equals("0")) return Duration.ZERO;
        if (!WHOLE.matcher(trimmed).matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration such as 10s, 1m30s or 168h");
        }
        BigDecimal nanos = BigDecimal.ZERO;
        Matcher part = PART.matcher(trimmed);
        while (part.find()) {
            nanos = nanos.add(new BigDecimal(part.group(1)).multiply(BigDecimal.valueOf(NANOS.get(part.group(2)))));
        }
        return Duration.ofNanos(inRange(nanos, text));
    }

    /** Go's durations are int64 nanoseconds (about 292 years); anything longer is refused, not wrapped. */
    private static long inRange(BigDecimal nanos, String text) {
        if (nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException("'" + text + "' is longer than the longest duration, about 292 years");
        }
        return nanos.longValue();
    }
}
