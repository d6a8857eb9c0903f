package org.stevedore.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Applies {@code REGISTRY_*} environment variables to a configuration tree with distribution's
 * rules (configuration/parser.go):
 * <ul>
 *   <li>the name after {@code REGISTRY_} is split on {@code _} into a key path, e.g.
 *       {@code REGISTRY_STORAGE_DELETE_ENABLED} is {@code storage.delete.enabled};</li>
 *   <li>keys match case-insensitively; a struct field that does not exist is ignored with a
 *       warning; a map key that does not exist is created, in lower case;</li>
 *   <li>values are read as YAML, so {@code true} is a boolean and {@code [a, b]} a list; a bare
 *       string for {@code storage} or {@code auth} selects that entry, replacing the section
 *       ({@code REGISTRY_AUTH=htpasswd});</li>
 *   <li>variables apply in lexical order of their names, so {@code REGISTRY_AUTH} comes before
 *       {@code REGISTRY_AUTH_HTPASSWD_REALM}.</li>
 * </ul>
 * {@code REGISTRY_CONFIGURATION_PATH} names the file instead and is skipped here.
 */
final class EnvironmentOverrides {
    static final String PREFIX = "REGISTRY_";
    static final String CONFIGURATION_PATH = "REGISTRY_CONFIGURATION_PATH";

    private final List<String> warnings;
    private final Map<String, String> provenance;

    /**
     * @param warnings   receives one line per ignored variable
     * @param provenance receives, per dotted key path set, the variable that set it
     */
    EnvironmentOverrides(List<String> warnings, Map<String, String> provenance) {
        this.warnings = warnings;
        this.provenance = provenance;
    }

    void apply(ObjectNode root, Map<String, String> environment) {
        environment.keySet().stream()
                .filter(name -> name.startsWith(PREFIX) && !name.equals(CONFIGURATION_PATH))
                .sorted()
                .forEach(name -> applyOne(root, name, environment.get(name)));
    }

    private void applyOne(ObjectNode root, String name, String value) {
        List<String> parts = Arrays.asList(name.substring(PREFIX.length()).split("_", -1));
        if (parts.stream().anyMatch(String::isEmpty)) {
            warnings.add("ignoring environment variable " + name + ": empty key in its name");
            return;
        }
        ObjectNode node = root;
        String path = "";
        String actualPath = "";
        for (int i = 0; i < parts.size(); i++) {
            String part = parts.get(i);
            Optional<Set<String>> fields = DistributionSchema.structFields(path);
            String key;
            if (fields.isPresent()) {
                Optional<String> field = fields.get().stream().filter(f -> f.equalsIgnoreCase(part)).findFirst();
                if (field.isEmpty()) {
                    warnings.add("ignoring unrecognized environment variable " + name
                            + suggestion(parts, i, fields.get()));
                    return;
                }
                key = existingKey(node, part).orElse(field.get());
            } else {
                key = existingKey(node, part).orElse(part.toLowerCase(java.util.Locale.ROOT));
            }
            String childPath = DistributionSchema.child(path, key.toLowerCase(java.util.Locale.ROOT));
            if (i == parts.size() - 1) {
                removeOtherCases(node, key);
                node.set(key, parse(childPath, value));
                provenance.put(DistributionSchema.child(actualPath, key), name);
                return;
            }
            JsonNode child = node.get(key);
            if (child == null || child.isNull()) {
                child = node.putObject(key);
            } else if (!child.isObject()) {
                throw new ConfigException("environment variable " + name + ": cannot set a key inside "
                        + childPath + ", which is not a map");
            }
            node = (ObjectNode) child;
            path = childPath;
            actualPath = DistributionSchema.child(actualPath, key);
        }
    }

    /** "; did you mean REGISTRY_STORAGE_DELETE_ENABLED?" when part {@code i} is a slip of a field's name. */
    private static String suggestion(List<String> parts, int i, Set<String> fields) {
        return KeySuggestion.nearest(parts.get(i), fields).map(field -> {
            List<String> fixed = new java.util.ArrayList<>(parts.subList(0, i));
            fixed.add(field.toUpperCase(java.util.Locale.ROOT));
            fixed.addAll(parts.subList(i + 1, parts.size()));
            return "; did you mean " + PREFIX + String.join("_", fixed) + "?";
        }).orElse("");
    }

    /** The YAML value; a bare string for storage or auth becomes {@code {string: {}}}. */
    private JsonNode parse(String path, String value) {
        JsonNode parsed;
        try {
            parsed = YamlTree.read(value);
        } catch (java.io.IOException notYaml) {
            parsed = TextNode.valueOf(value); // Go's YAML reads such scalars as strings too
        }
        if (parsed == null || parsed.isMissingNode()) return NullNode.getInstance();
        // Keep the digits as written: "1.10" is a realm or a tag name as much as a number.
        if (parsed.isNumber()) parsed = TextNode.valueOf(value.trim());
        if (parsed.isTextual() && DistributionSchema.isSelector(path)) {
            ObjectNode selected = JsonNodeFactory.instance.objectNode();
            selected.putObject(parsed.asText());
            return selected;
        }
        return parsed;
    }

    private static Optional<String> existingKey(ObjectNode node, String part) {
        if (node.has(part.toLowerCase(java.util.Locale.ROOT))) return Optional.of(part.toLowerCase(java.util.Locale.ROOT));
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (name.equalsIgnoreCase(part)) return Optional.of(name);
        }
        return Optional.empty();
    }

    private static void removeOtherCases(ObjectNode node, String key) {
        List<String> others = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(name -> {
            if (name.equalsIgnoreCase(key) && !name.equals(key)) others.add(name);
        });
        node.remove(others);
    }
}
