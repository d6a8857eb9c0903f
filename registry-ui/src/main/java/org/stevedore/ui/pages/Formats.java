package org.stevedore.ui.pages;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.stevedore.model.Digest;

/** How pages write sizes, ages and digests for people. */
final class Formats {
    private Formats() {
    }

    /** 1.2 MB, 830 kB, 12 B: decimal units, as docker and registries' UIs show them. */
    static String size(long bytes) {
        if (bytes < 1000) return bytes + " B";
        String[] units = {"kB", "MB", "GB", "TB", "PB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1000 && unit < units.length - 1) {
            value /= 1000;
            unit++;
        }
        return String.format(Locale.ROOT, value < 10 ? "%.1f %s" : "%.0f %s", value, units[unit]);
    }

    /** "3 minutes ago", "2 days ago". */
    static String age(Instant then, Instant now) {
        Duration age = Duration.between(then, now);
        if (age.isNegative() || age.toSeconds() < 60) return "just now";
        if (age.toMinutes() < 60) return plural(age.toMinutes(), "minute");
        if (age.toHours() < 48) return plural(age.toHours(), "hour");
        if (age.toDays() < 60) return plural(age.toDays(), "day");
        if (age.toDays() < 730) return plural(age.toDays() / 30, "month");
        return plural(age.toDays() / 365, "year");
    }

    private static String plural(long count, String unit) {
        return count + " " + unit + (count == 1 ? "" : "s") + " ago";
    }

    /** The first 12 hex digits, as docker prints image ids. */
    static String shortDigest(Digest digest) {
        String encoded = digest.encoded();
        return digest.algorithm() + ":" + encoded.substring(0, Math.min(12, encoded.length()));
    }
}
