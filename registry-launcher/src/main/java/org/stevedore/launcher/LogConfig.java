package org.stevedore.launcher;

import java.util.Map;
import java.util.Objects;

/**
 * distribution's {@code log} section beyond the level.
 *
 * @param formatter         {@code log.formatter}: text (default) or json (distribution's logstash reads as json)
 * @param accessLogDisabled {@code log.accesslog.disabled}: no access lines
 * @param fields            {@code log.fields}: static fields added to every line
 */
record LogConfig(Formatter formatter, boolean accessLogDisabled, Map<String, String> fields) {
    static final LogConfig DEFAULT = new LogConfig(Formatter.TEXT, false, Map.of());

    LogConfig {
        Objects.requireNonNull(formatter, "formatter");
        fields = Map.copyOf(fields);
    }

    /** How each line is written. */
    enum Formatter { TEXT, JSON }
}
