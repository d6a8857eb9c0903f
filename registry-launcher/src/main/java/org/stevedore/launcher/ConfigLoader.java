package org.stevedore.launcher;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads distribution's {@code config.yml} (if any), applies the {@code REGISTRY_*} environment
 * over it, and checks the result. The environment is passed in, never read from the process
 * here, so tests can give any.
 */
final class ConfigLoader {
    /**
     * The configuration and the warnings to show.
     *
     * @param file     the file read, if any
     * @param warnings one line per key or variable Stevedore ignores
     * @param tree     the file with the variables applied, as read (for {@code serve --check})
     */
    record Loaded(RegistryConfig config, Optional<Path> file, List<String> warnings, ObjectNode tree) {
        Loaded {
            warnings = List.copyOf(warnings);
            tree = tree.deepCopy();
        }

        @Override
        public ObjectNode tree() {
            return tree.deepCopy();
        }
    }

    private ConfigLoader() {
    }

    /**
     * @param file        the file named on the command line; else {@code REGISTRY_CONFIGURATION_PATH}; else none
     * @param environment the process environment, or a test's
     * @throws ConfigException naming the file or key when something is wrong
     */
    static Loaded load(Optional<Path> file, Map<String, String> environment) {
        Optional<Path> path = file.or(() -> Optional.ofNullable(environment.get(EnvironmentOverrides.CONFIGURATION_PATH))
                .map(ConfigLoader::configurationPath));
        ObjectNode tree = path.map(ConfigLoader::readFile).orElseGet(JsonNodeFactory.instance::objectNode);
        selectBareStrings(tree);
        List<String> warnings = new ArrayList<>();
        Map<String, String> provenance = new HashMap<>();
        new EnvironmentOverrides(warnings, provenance).apply(tree, environment);
        RegistryConfig config = ConfigReader.read(new ConfigNode(tree, "", provenance), path.isPresent(), warnings);
        return new Loaded(config, path, warnings, tree);
    }

    private static Path configurationPath(String text) {
        try {
            return ConfigNode.toPath(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(EnvironmentOverrides.CONFIGURATION_PATH + ": " + e.getMessage());
        }
    }

    private static ObjectNode readFile(Path path) {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException("cannot read configuration file " + path + ": " + describe(e));
        }
        JsonNode tree;
        try {
            tree = YamlTree.read(text);
        } catch (JsonProcessingException e) {
            throw new ConfigException(path + " is not valid YAML: " + e.getOriginalMessage()
                    + (e.getLocation() != null ? " (line " + e.getLocation().getLineNr() + ")" : ""));
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            throw new ConfigException(path + " is empty; distribution's format starts with version: 0.1");
        }
        if (!tree.isObject()) throw new ConfigException(path + ": expected a YAML map of settings at the top");
        return (ObjectNode) tree;
    }

    /** {@code storage: inmemory} in a file means {@code storage: {inmemory: {}}}, as in distribution. */
    private static void selectBareStrings(ObjectNode tree) {
        for (String key : List.of("storage", "auth")) {
            JsonNode value = tree.get(key);
            if (value != null && value.isTextual()) {
                ObjectNode selected = tree.putObject(key);
                selected.putObject(value.asText());
            }
        }
    }

    private static String describe(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) return "no such file";
        if (e instanceof java.nio.file.AccessDeniedException) return "permission denied";
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }
}
