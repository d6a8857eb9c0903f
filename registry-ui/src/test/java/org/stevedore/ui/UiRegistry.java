package org.stevedore.ui;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.mindrot.jbcrypt.BCrypt;
import org.stevedore.auth.AuthConfigurations;
import org.stevedore.registry.Registry;

/**
 * A registry with the UI, htpasswd users and access rules, holding what the UI tests browse:
 * alice may do everything; bob may pull {@code public/**} and {@code shared/**} only; anonymous
 * visitors may pull {@code public/**}. Holds a multi-platform index with a signature and a label
 * that tries to inject a script.
 */
final class UiRegistry implements AutoCloseable {
    static final String ALICE = "alice";
    static final String ALICE_PASSWORD = "alice-s3cret";
    static final String BOB = "bob";
    static final String BOB_PASSWORD = "bob-s3cret";
    static final String HOSTILE_LABEL = "<script>alert('label')</script>";

    final Registry registry;
    final Pusher pusher;
    final Pusher.Pushed index;
    final Pusher.Pushed signature;

    UiRegistry(Path directory) throws Exception {
        Path htpasswd = directory.resolve("htpasswd");
        Files.writeString(htpasswd, ALICE + ":" + BCrypt.hashpw(ALICE_PASSWORD, BCrypt.gensalt(4)) + "\n"
                + BOB + ":" + BCrypt.hashpw(BOB_PASSWORD, BCrypt.gensalt(4)) + "\n");
        Path rules = directory.resolve("rules.yml");
        Files.writeString(rules, """
                rules:
                  - repositories: ["**"]
                    users: [alice]
                    actions: ["*"]
                  - repositories: ["public/**", "shared/**"]
                    users: [bob]
                    actions: [pull]
                  - repositories: ["public/**"]
                    anonymous: true
                    actions: [pull]
                """);
        registry = Registry.builder()
                .accessController(AuthConfigurations.htpasswd(htpasswd, "Registry Realm", Optional.of(rules)))
                .deleteEnabled(true)
                .mount(WebUi.PREFIX, WebUi.defaults())
                .start();
        pusher = new Pusher(registry.url(), Optional.of(ALICE + ":" + ALICE_PASSWORD));
        Map<String, String> labels = Map.of("org.opencontainers.image.title", "app", "note", HOSTILE_LABEL);
        index = pusher.index("team/app", "v1", labels);
        signature = pusher.signature("team/app", index, Pusher.OCI_INDEX);
        pusher.image("team/app", "old", "linux", "amd64", Map.of(), 1);
        pusher.image("public/tools", "latest", "linux", "amd64", Map.of(), 1);
        pusher.image("shared/base", "1.0", "linux", "amd64", Map.of(), 1);
    }

    @Override
    public void close() {
        registry.close();
    }
}
