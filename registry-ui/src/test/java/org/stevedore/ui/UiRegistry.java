package org.stevedore.ui;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mindrot.jbcrypt.BCrypt;
import org.stevedore.auth.AuthConfigurations;
import org.stevedore.auth.Access;
import org.stevedore.auth.AccessController;
import org.stevedore.auth.Credentials;
import org.stevedore.auth.Decision;
import org.stevedore.policies.Glob;
import org.stevedore.policies.Policies;
import org.stevedore.policies.PoliciesApi;
import org.stevedore.policies.QuotaRule;
import org.stevedore.policies.RetentionPolicy;
import org.stevedore.policies.RetentionRule;
import org.stevedore.registry.Registry;
import org.stevedore.storage.StorageDriver;
import org.stevedore.storage.memory.InMemoryDriver;

/**
 * A registry with the UI, htpasswd users and access rules, holding what the UI tests browse:
 * alice may do everything and is the administrator; bob may pull {@code public/**} and
 * {@code shared/**} only; anonymous visitors may pull {@code public/**}. Holds a multi-platform
 * index with a signature and a label that tries to inject a script. Governance is on: a quota of
 * {@link #QUOTA} on {@code team/**}, and a retention rule keeping the latest tag of
 * {@code team/retained}; the policies API is served beside the UI for comparison.
 */
final class UiRegistry implements AutoCloseable {
    static final String ALICE = "alice";
    static final String ALICE_PASSWORD = "alice-s3cret";
    static final String BOB = "bob";
    static final String BOB_PASSWORD = "bob-s3cret";
    static final String HOSTILE_LABEL = "<script>alert('label')</script>";
    static final long QUOTA = 1 << 20;
    static final Policies POLICIES = new Policies(List.of(),
            List.of(new QuotaRule("policies.quotas[0]", Glob.of("team/**"), QUOTA)),
            new RetentionPolicy(Optional.empty(), false, List.of(new RetentionRule("policies.retention.rules[0]",
                    Glob.of("team/retained"), 1, List.of(), Optional.empty(), Optional.of(Duration.ZERO)))));

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
        StorageDriver storage = InMemoryDriver.create();
        registry = Registry.builder()
                .storage(storage)
                .accessController(administrator(AuthConfigurations.htpasswd(htpasswd, "Registry Realm", Optional.of(rules)),
                        ALICE))
                .deleteEnabled(true)
                .manifestGuard(POLICIES.guard(storage, 4 * 1024 * 1024))
                .api(service -> new PoliciesApi(service, POLICIES, Clock.systemUTC()))
                .mount(WebUi.PREFIX, WebUi.defaults().policies(POLICIES))
                .start();
        pusher = new Pusher(registry.url(), Optional.of(ALICE + ":" + ALICE_PASSWORD));
        Map<String, String> labels = Map.of("org.opencontainers.image.title", "app", "note", HOSTILE_LABEL);
        index = pusher.index("team/app", "v1", labels);
        signature = pusher.signature("team/app", index, Pusher.OCI_INDEX);
        pusher.image("team/app", "old", "linux", "amd64", Map.of(), 1);
        pusher.image("public/tools", "latest", "linux", "amd64", Map.of(), 1);
        pusher.image("shared/base", "1.0", "linux", "amd64", Map.of(), 1);
        for (String tag : List.of("r1", "r2", "r3")) {
            pusher.image("team/retained", tag, "linux", "amd64", Map.of(), 1);
            Thread.sleep(15); // distinct push times: keeplatest orders by them
        }
    }

    /**
     * {@code controller}, plus the access {@code registry:admin:*} for {@code admin} alone (access
     * rules files grant it to nobody).
     */
    static AccessController administrator(AccessController controller, String admin) {
        return new AccessController() {
            @Override
            public Decision authorize(Credentials credentials, List<Access> needed) {
                List<Access> others = needed.stream().filter(access -> !access.equals(PoliciesApi.ADMIN)).toList();
                Decision decision = controller.authorize(credentials, others);
                if (others.size() == needed.size() || !(decision instanceof Decision.Allowed allowed)) return decision;
                Optional<String> user = allowed.user();
                return user.filter(admin::equals).isPresent() ? decision
                        : new Decision.Denied(user.orElse(""), "administrators only");
            }

            @Override
            public boolean permits(Optional<String> user, Access access) {
                if (access.equals(PoliciesApi.ADMIN)) return user.filter(admin::equals).isPresent();
                return controller.permits(user, access);
            }
        };
    }

    @Override
    public void close() {
        registry.close();
    }
}
