package org.stevedore.launcher;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.stevedore.auth.htpasswd.HtpasswdSource;
import org.stevedore.storage.fs.StorageRoot;

/**
 * {@code stevedore serve --check}: the configuration as read (file plus {@code REGISTRY_*}, with
 * every secret masked), the effective state the server would start with, and whether the storage
 * root is usable. A configuration error never gets here: it ends the command with exit code 1.
 */
final class ConfigCheck {
    static final String MASK = "********";
    /** Keys whose values are secrets wherever they appear (S3 keys, proxy and redis passwords, http.secret). */
    private static final Set<String> SECRET_KEYS = Set.of("password", "secret", "secretkey", "accesskey",
            "sessiontoken", "token", "authorization", "proxy-authorization", "cookie");
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .build();

    private ConfigCheck() {
    }

    /** Prints the report; {@code effective} is the configuration with the command-line flags applied. */
    static void print(ConfigLoader.Loaded loaded, RegistryConfig effective, Map<String, String> environment,
                      PrintWriter out) throws IOException {
        out.println(loaded.file().map(f -> "configuration file: " + f.toAbsolutePath().normalize())
                .orElse("configuration file: none (defaults)"));
        List<String> variables = environment.keySet().stream()
                .filter(name -> name.startsWith(EnvironmentOverrides.PREFIX)
                        && !name.equals(EnvironmentOverrides.CONFIGURATION_PATH))
                .sorted().toList();
        if (!variables.isEmpty()) out.println("environment: " + String.join(", ", variables));
        out.println("settings (secrets masked):");
        ObjectNode tree = loaded.tree();
        mask(tree);
        String yaml = tree.isEmpty() ? "{}\n" : yaml(tree);
        for (String line : yaml.split("\\R")) out.println("  " + line);
        out.println("effective: listening on " + effective.http().address() + (effective.http().tls().isPresent() ? " (TLS)" : "")
                + ", " + EffectiveState.describe(effective));
        storageRoot(effective.storage(), out);
        htpasswd(effective, out);
        int warnings = loaded.warnings().size();
        out.println("configuration OK" + (warnings == 0 ? "" : " (" + warnings + " warning"
                + (warnings == 1 ? "" : "s") + ", above)"));
        out.flush();
    }

    /** Whether serve could use the root: probed when it exists (a file is written and deleted there). */
    private static void storageRoot(StorageConfig storage, PrintWriter out) throws IOException {
        if (!(storage.driver() instanceof StorageConfig.Driver.Filesystem fs)) return;
        java.nio.file.Path root = fs.root().toAbsolutePath().normalize();
        if (!Files.exists(root)) {
            out.println("storage root " + root + " does not exist yet; serve creates it");
            return;
        }
        try {
            StorageRoot.prepare(root, !storage.readOnly());
        } catch (IOException e) {
            throw new ConfigException(e.getMessage(), e);
        }
        out.println("storage root " + root + (storage.readOnly() ? " is a directory (read-only)" : " is writable"));
    }

    /** The htpasswd file serve would read (auth.htpasswd, or the built-in token server's), if usable. */
    private static void htpasswd(RegistryConfig config, PrintWriter out) {
        if (config.auth().isEmpty()) return;
        AuthConfig auth = config.auth().get();
        java.util.Optional<java.nio.file.Path> file = auth instanceof AuthConfig.Htpasswd h ? java.util.Optional.of(h.path())
                : ((AuthConfig.Token) auth).builtIn().map(AuthConfig.BuiltInToken::htpasswd);
        if (file.isEmpty()) return;
        String key = auth instanceof AuthConfig.Htpasswd ? "auth.htpasswd.path" : "auth.token.builtin.htpasswd";
        HtpasswdSource source = HtpasswdSource.watch(file.get());
        if (source.problem().isPresent()) {
            throw new ConfigException(key + ": " + source.problem().get() + "; serve would start, but nobody could"
                    + " log in (make one with: stevedore htpasswd -Bc " + file.get() + " USER)");
        }
        int users = source.current().file().size();
        out.println("htpasswd file " + file.get() + ": " + users + " user" + (users == 1 ? "" : "s"));
    }

    /** Replaces secret values, and the password in any URL, in place. */
    static void mask(JsonNode node) {
        if (node instanceof ObjectNode object) {
            for (String key : iterable(object)) {
                JsonNode value = object.get(key);
                if (SECRET_KEYS.contains(key.toLowerCase(Locale.ROOT)) && value.isValueNode() && !value.isNull()) {
                    object.set(key, TextNode.valueOf(MASK));
                } else if (SECRET_KEYS.contains(key.toLowerCase(Locale.ROOT)) && value.isArray()) {
                    ArrayNode masked = object.putArray(key);
                    value.forEach(item -> masked.add(MASK));
                } else if (value.isTextual()) {
                    object.set(key, TextNode.valueOf(withoutPassword(value.asText())));
                } else {
                    mask(value);
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                if (array.get(i).isTextual()) array.set(i, TextNode.valueOf(withoutPassword(array.get(i).asText())));
                else mask(array.get(i));
            }
        }
    }

    /** https://user:secret@host/ becomes https://user:********@host/. */
    private static String withoutPassword(String text) {
        if (!text.contains("://") || !text.contains("@")) return text;
        try {
            URI uri = new URI(text);
            String userInfo = uri.getRawUserInfo();
            if (userInfo == null || !userInfo.contains(":")) return text;
            return text.replace(userInfo, userInfo.substring(0, userInfo.indexOf(':') + 1) + MASK);
        } catch (java.net.URISyntaxException notAUrl) {
            return text;
        }
    }

    private static List<String> iterable(ObjectNode object) {
        List<String> keys = new java.util.ArrayList<>();
        object.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    private static String yaml(JsonNode tree) {
        try {
            return YAML.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot print the configuration", e);
        }
    }
}
