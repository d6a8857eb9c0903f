package org.stevedore.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the Prometheus text format into series ({@code name{labels}} exactly as written) and
 * values, for assertions; comments and blank lines are skipped.
 */
final class PrometheusText {
    private final Map<String, Double> series;

    private PrometheusText(Map<String, Double> series) {
        this.series = series;
    }

    static PrometheusText parse(String text) {
        Map<String, Double> series = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) continue;
            int space = line.lastIndexOf(' ');
            String value = line.substring(space + 1);
            series.put(line.substring(0, space), value.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(value));
        }
        return new PrometheusText(series);
    }

    /** The value of a series, 0 when absent (a counter not yet incremented has no series). */
    double value(String nameAndLabels) {
        return series.getOrDefault(nameAndLabels, 0.0);
    }

    /** The sum over every series of {@code name} whose labels contain all of {@code labels}. */
    double sum(String name, String... labels) {
        double total = 0;
        for (Map.Entry<String, Double> entry : series.entrySet()) {
            String key = entry.getKey();
            if (!(key.equals(name) || key.startsWith(name + "{"))) continue;
            boolean all = true;
            for (String label : labels) all &= key.contains(label);
            if (all) total += entry.getValue();
        }
        return total;
    }

    boolean has(String name) {
        return series.keySet().stream().anyMatch(key -> key.equals(name) || key.startsWith(name + "{"));
    }
}
