package org.stevedore.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * One map of the configuration tree, read key by key into typed values. It remembers which keys
 * were read, so {@link #warnUnread} can name every key Stevedore ignores, and every error names
 * the full key path and the {@code REGISTRY_*} variable that set it, if one did.
 */
final class ConfigNode {
    private final ObjectNode node;
    private final String path;
    private final Map<String, String> provenance;
    private final Set<String> read = new HashSet<>();
    /** The maps read under this one, checked with it so that no section's stray keys go unnoticed. */
    private final List<ConfigNode> children = new ArrayList<>();
    private boolean checked;

    ConfigNode(ObjectNode node, String path, Map<String, String> provenance) {
        this.node = node;
        this.path = path;
        this.provenance = provenance;
    }

    /** The map under {@code key}; empty when absent or null (as YAML {@code key:} with nothing after it). */
    Optional<ConfigNode> section(String key) {
        JsonNode value = take(key);
        if (value == null || value.isNull()) return Optional.empty();
        if (!value.isObject()) throw invalid(key, "expected a map of settings, got " + describe(value));
        return Optional.of(child(new ConfigNode((ObjectNode) value, keyPath(key), provenance)));
    }

    private ConfigNode child(ConfigNode node) {
        children.add(node);
        return node;
    }

    /** A list of maps under {@code key}, each named {@code key[i]} in messages; empty when absent. */
    List<ConfigNode> sections(String key) {
        JsonNode value = take(key);
        if (value == null || value.isNull()) return List.of();
        if (!value.isArray()) throw invalid(key, "expected a list of maps, got " + describe(value));
        List<ConfigNode> list = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            JsonNode item = value.get(i);
            if (!item.isObject()) throw invalid(key + "[" + i + "]", "expected a map of settings, got " + describe(item));
            list.add(child(new ConfigNode((ObjectNode) item, keyPath(key) + "[" + i + "]", provenance)));
        }
        return list;
    }

    /**
     * This map as distribution's {@code http.Header}: a name to a list of values (a single value
     * is a list of one). Names must be visible ASCII without ':', values without line breaks, so
     * nothing configured can split a request or response.
     */
    Map<String, List<String>> httpHeaders() {
        Map<String, List<String>> map = new java.util.LinkedHashMap<>();
        for (String name : keys()) {
            if (name.isEmpty() || !name.chars().allMatch(c -> c > 32 && c < 127 && c != ':')) {
                throw invalid(name, "not a valid header name");
            }
            List<String> values = strings(name);
            for (String value : values) {
                if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
                    throw invalid(name, "line breaks are not allowed in header values");
                }
            }
            map.put(name, values);
        }
        return map;
    }

    boolean has(String key) {
        JsonNode value = node.get(key);
        return value != null && !value.isNull();
    }

    /** The keys present, in file order. */
    List<String> keys() {
        List<String> keys = new ArrayList<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    /** A scalar as text (numbers and booleans as written, like Go's YAML into a string field). */
    Optional<String> string(String key) {
        JsonNode value = take(key);
        if (value == null || value.isNull()) return Optional.empty();
        if (!value.isValueNode()) throw invalid(key, "expected a single value, got " + describe(value));
        return Optional.of(value.asText());
    }

    Optional<Boolean> bool(String key) {
        JsonNode value = take(key);
        if (value == null || value.isNull()) return Optional.empty();
        if (value.isBoolean()) return Optional.of(value.booleanValue());
        // YAML 1.1, which distribution's parser speaks, also says yes/no and on/off.
        switch (value.isTextual() ? value.asText().toLowerCase(Locale.ROOT) : "") {
            case "true": case "yes": case "on": case "y": return Optional.of(true);
            case "false": case "no": case "off": case "n": return Optional.of(false);
            default: throw invalid(key, "expected true or false, got " + describe(value));
        }
    }

    Optional<Integer> integer(String key) {
        JsonNode value = take(key);
        if (value == null || value.isNull()) return Optional.empty();
        if (value.isIntegralNumber() && value.canConvertToInt()) return Optional.of(value.intValue());
        if (value.isTextual()) {
            try {
                return Optional.of(Integer.parseInt(value.asText().trim()));
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw invalid(key, "expected a whole number, got " + describe(value));
    }

    /** A list of scalars; a single scalar counts as a list of one. */
    List<String> strings(String key) {
        JsonNode value = take(key);
        if (value == null || value.isNull()) return List.of();
        if (value.isValueNode()) return List.of(value.asText());
        if (!value.isArray()) throw invalid(key, "expected a list, got " + describe(value));
        List<String> list = new ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isValueNode() || item.isNull()) throw invalid(key, "expected a list of values, got " + describe(value));
            list.add(item.asText());
        }
        return list;
    }

    /** A typed value parsed from a string; the parser's exception message explains the problem. */
    <T> Optional<T> parsed(String key, Function<String, T> parser) {
        Optional<String> text = string(key);
        try {
            return text.map(parser);
        } catch (IllegalArgumentException e) {
            throw invalid(key, e.getMessage());
        }
    }

    /** A file path; empty when absent or blank. A string the platform cannot take as a path is an error. */
    Optional<java.nio.file.Path> path(String key) {
        return parsed(key, ConfigNode::toPath);
    }

    /** {@code text} as a path, null when blank; {@link IllegalArgumentException} with the reason otherwise. */
    static java.nio.file.Path toPath(String text) {
        if (text.isBlank()) return null;
        try {
            return java.nio.file.Path.of(text);
        } catch (java.nio.file.InvalidPathException e) {
            throw new IllegalArgumentException("not a valid path: " + e.getReason());
        }
    }

    /** The whole map as plain Java values, for a driver that reads its own parameters (S3's). */
    @SuppressWarnings("unchecked")
    Map<String, Object> raw() {
        node.fieldNames().forEachRemaining(read::add);
        return new LinkedHashMap<>(Plain.MAPPER.convertValue(node, Map.class));
    }

    /** Built at the first {@link #raw()}: a filesystem server's start needs no ObjectMapper (see YamlTree). */
    private static final class Plain {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    /**
     * Adds a warning for each key present but never read, here and in every map read under this
     * one (once: a later call adds nothing). A key distribution knows is "not supported"; a slip
     * of a known key's name gets "did you mean" that key.
     */
    void warnUnread(List<String> warnings) {
        if (checked) return;
        checked = true;
        for (ConfigNode child : children) child.warnUnread(warnings);
        Set<String> distribution = DistributionSchema.structFields(path.replaceAll("\\[[0-9]+\\]", "")).orElse(Set.of());
        Set<String> known = new java.util.TreeSet<>(read);
        known.addAll(distribution);
        node.fieldNames().forEachRemaining(key -> {
            if (read.contains(key)) return;
            String full = keyPath(key);
            Optional<String> nearest = distribution.contains(key) ? Optional.empty() : KeySuggestion.nearest(key, known);
            warnings.add(nearest.map(near -> full + origin(full) + " is not a known key; did you mean " + keyPath(near)
                    + "? Ignored").orElse(full + origin(full) + " is not supported by Stevedore; ignored"));
        });
    }

    /** Marks a key as deliberately accepted without effect. */
    void accept(String key) {
        read.add(key);
    }

    /** An error about {@code key}, naming it fully. */
    ConfigException invalid(String key, String message) {
        String full = keyPath(key);
        return new ConfigException(full + origin(full) + ": " + message);
    }

    String keyPath(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private JsonNode take(String key) {
        read.add(key);
        return node.get(key);
    }

    /** " (from REGISTRY_X)" when a variable set this key or one of its parents. */
    private String origin(String full) {
        for (String prefix = full.replaceAll("\\[[0-9]+\\]", ""); !prefix.isEmpty(); ) { // list items: their list's origin
            String variable = provenance.get(prefix);
            if (variable != null) return " (from " + variable + ")";
            int cut = Math.max(prefix.lastIndexOf('.'), prefix.endsWith("]") ? prefix.lastIndexOf('[') : -1);
            prefix = cut < 0 ? "" : prefix.substring(0, cut);
        }
        return "";
    }

    private static String describe(JsonNode value) {
        if (value.isObject()) return "a map";
        if (value.isArray()) return "a list";
        return "'" + value.asText() + "'";
    }
}
