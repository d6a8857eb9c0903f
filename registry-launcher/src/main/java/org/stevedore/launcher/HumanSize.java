package org.stevedore.launcher;

import java.util.Locale;

/** Byte counts as people read them: 512 B, 4.0 KiB, 1.2 GiB (binary units, as du -h and docker do). */
final class HumanSize {
    private static final String[] UNITS = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

    private HumanSize() {
    }

    static String of(long bytes) {
        if (bytes < 1024) return bytes + " B";
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
    }
}
