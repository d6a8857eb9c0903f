package org.stevedore.launcher;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as distribution's configuration writes them (Go's {@code time.ParseDuration}):
 * {@code 168h}, {@code 24h}, {@code 1h30m}, {@code 90s}, {@code 500ms}.
 */
final class GoDuration {
    private static final Pattern PART = Pattern.compile("(\\d+)(ms|h|m|s)");

    private GoDuration() {
    }

    /** @throws IllegalArgumentException when {@code text} is not such a duration */
    static Duration parse(String text) {
        if (text == null || text.isEmpty()) throw new IllegalArgumentException("empty duration");
        if (text.equals("0")) return Duration.ZERO;
        Matcher matcher = PART.matcher(text);
        Duration total = Duration.ZERO;
        int end = 0;
        while (matcher.find()) {
            if (matcher.start() != end) break;
            long amount = Long.parseLong(matcher.group(1));
            total = total.plus(switch (matcher.group(2)) {
                case "h" -> Duration.ofHours(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "s" -> Duration.ofSeconds(amount);
                default -> Duration.ofMillis(amount);
            });
            end = matcher.end();
        }
        if (end != text.length()) {
            throw new IllegalArgumentException("not a duration: " + text + " (use e.g. 168h, 1h30m, 90s, 500ms)");
        }
        return total;
    }
}
