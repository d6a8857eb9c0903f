package org.stevedore.auth.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.stevedore.auth.Access;
import org.stevedore.auth.Action;

/**
 * Who may pull, push and delete which repositories. Without a rules file
 * ({@link #allowAuthenticated()}) every authenticated user may do everything and anonymous users
 * nothing. A rules file (YAML, or JSON, which is YAML too) grants actions per repository pattern:
 *
 * <pre>
 * groups:
 *   readers: [carol, dave]
 * rules:
 *   - repositories: ["team/**"]        # see {@link RepositoryGlob}
 *     users: [alice]                   # "*": every authenticated user
 *     groups: [readers]
 *     actions: [pull, push, delete]    # or ["*"]
 *   - repositories: ["public/*"]
 *     anonymous: true                  # no credentials needed; pull only
 *     actions: [pull]
 * admins:                              # the registry-wide admin permission (registry:admin:*):
 *   users: [alice]                     # usage of every repository, retention runs, forced deletes
 *   groups: [ops]
 * </pre>
 *
 * A request is allowed when some rule grants each access it needs; nothing else is. Listing the
 * catalog is allowed to every authenticated user (and to anonymous ones when some rule is
 * anonymous); the listing itself shows only repositories the caller may pull. The admin
 * permission goes to the authenticated users {@code admins} names, directly or through a group,
 * and to nobody else (never to anonymous users, never through {@code "*"}). Immutable.
 */
public final class AccessRules {
    private static final Set<String> RULE_FIELDS = Set.of("repositories", "users", "groups", "anonymous", "actions");

    private record Rule(List<RepositoryGlob> repositories, Set<String> users, Set<String> groups,
                        boolean anonymous, Set<Action> actions) {
    }

    /** The name of the registry-wide admin resource: {@code registry:admin:*}. */
    public static final String ADMIN = "admin";

    private record Admins(Set<String> users, Set<String> groups) {
        static final Admins NONE = new Admins(Set.of(), Set.of());
    }

    private final Optional<List<Rule>> rules;
    private final Map<String, Set<String>> groupsOfUser;
    private final Admins admins;

    private AccessRules(Optional<List<Rule>> rules, Map<String, Set<String>> groupsOfUser, Admins admins) {
        this.rules = rules;
        this.groupsOfUser = groupsOfUser;
        this.admins = admins;
    }

    /** No per-repository control: authenticated users may do everything, anonymous users nothing. */
    public static AccessRules allowAuthenticated() {
        return new AccessRules(Optional.empty(), Map.of(), Admins.NONE);
    }

    /** Reads a rules file; throws {@link IllegalArgumentException} naming what is wrong. */
    public static AccessRules load(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read access rules " + file + ": " + e.getMessage(), e);
        }
        try {
            return parse(root);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("access rules " + file + ": " + e.getMessage(), e);
        }
    }

    static AccessRules parse(JsonNode root) {
        if (root == null || !root.isObject()) throw new IllegalArgumentException("expected a mapping with rules");
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("groups") && !name.equals("rules") && !name.equals("admins")) {
                throw new IllegalArgumentException("unknown key " + name);
            }
        }
        Map<String, Set<String>> groupsOfUser = new HashMap<>();
        JsonNode groups = root.path("groups");
        if (!groups.isMissingNode() && !groups.isObject()) throw new IllegalArgumentException("groups must be a mapping");
        for (Iterator<Map.Entry<String, JsonNode>> it = groups.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> group = it.next();
            for (String user : strings(group.getValue(), "groups." + group.getKey())) {
                groupsOfUser.computeIfAbsent(user, u -> new HashSet<>()).add(group.getKey());
            }
        }
        JsonNode ruleNodes = root.path("rules");
        if (!ruleNodes.isArray()) throw new IllegalArgumentException("rules must be a list");
        List<Rule> rules = new ArrayList<>();
        for (int i = 0; i < ruleNodes.size(); i++) rules.add(rule(ruleNodes.get(i), "rules[" + i + "]"));
        groupsOfUser.replaceAll((user, names) -> Set.copyOf(names));
        return new AccessRules(Optional.of(List.copyOf(rules)), Map.copyOf(groupsOfUser), admins(root.path("admins")));
    }

    private static Admins admins(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) return Admins.NONE;
        if (!node.isObject()) throw new IllegalArgumentException("admins must be a mapping with users and groups");
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("users") && !name.equals("groups")) throw new IllegalArgumentException("admins: unknown key " + name);
        }
        Set<String> users = Set.copyOf(strings(node.path("users"), "admins.users"));
        if (users.contains("*")) throw new IllegalArgumentException("admins.users: name admins one by one, not \"*\"");
        return new Admins(users, Set.copyOf(strings(node.path("groups"), "admins.groups")));
    }

    private static Rule rule(JsonNode node, String where) {
        if (!node.isObject()) throw new IllegalArgumentException(where + " must be a mapping");
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!RULE_FIELDS.contains(name)) throw new IllegalArgumentException(where + ": unknown key " + name);
        }
        List<RepositoryGlob> repositories = new ArrayList<>();
        for (String glob : strings(node.path("repositories"), where + ".repositories")) {
            repositories.add(RepositoryGlob.of(glob));
        }
        if (repositories.isEmpty()) throw new IllegalArgumentException(where + ": repositories must not be empty");
        Set<Action> actions = EnumSet.noneOf(Action.class);
        for (String name : strings(node.path("actions"), where + ".actions")) {
            Action action = Action.fromScopeName(name).orElseThrow(() -> new IllegalArgumentException(
                    where + ": unknown action " + name + " (pull, push, delete or *)"));
            if (action == Action.ALL) actions.addAll(EnumSet.of(Action.PULL, Action.PUSH, Action.DELETE));
            else actions.add(action);
        }
        if (actions.isEmpty()) throw new IllegalArgumentException(where + ": actions must not be empty");
        boolean anonymous = node.path("anonymous").asBoolean(false);
        if (anonymous && !actions.equals(EnumSet.of(Action.PULL))) {
            throw new IllegalArgumentException(where + ": anonymous users may only pull");
        }
        Set<String> users = Set.copyOf(strings(node.path("users"), where + ".users"));
        Set<String> groups = Set.copyOf(strings(node.path("groups"), where + ".groups"));
        if (!anonymous && users.isEmpty() && groups.isEmpty()) {
            throw new IllegalArgumentException(where + " names no users, groups or anonymous: true");
        }
        return new Rule(List.copyOf(repositories), users, groups, anonymous, Set.copyOf(actions));
    }

    private static List<String> strings(JsonNode node, String where) {
        if (node.isMissingNode() || node.isNull()) return List.of();
        if (node.isTextual()) return List.of(node.asText());
        if (!node.isArray()) throw new IllegalArgumentException(where + " must be a list of strings");
        List<String> values = new ArrayList<>();
        for (JsonNode item : node) {
            if (!item.isTextual()) throw new IllegalArgumentException(where + " must be a list of strings");
            values.add(item.asText());
        }
        return values;
    }

    /** Whether per-repository rules are in force (a rules file was given). */
    public boolean enabled() {
        return rules.isPresent();
    }

    /** Whether {@code user} (empty: anonymous) may do {@code access}. */
    public boolean allows(Optional<String> user, Access access) {
        if (rules.isEmpty()) return user.isPresent();
        if (access.type().equals(Access.REGISTRY)) {
            if (access.name().equals(ADMIN)) return user.isPresent() && isAdmin(user.get());
            return access.name().equals("catalog") && (user.isPresent() || rules.get().stream().anyMatch(Rule::anonymous));
        }
        if (!access.type().equals(Access.REPOSITORY)) return false;
        Set<String> groups = user.map(u -> groupsOfUser.getOrDefault(u, Set.of())).orElse(Set.of());
        for (Rule rule : rules.get()) {
            if (!appliesTo(rule, user, groups)) continue;
            if (!grants(rule.actions(), access.action())) continue;
            for (RepositoryGlob glob : rule.repositories()) {
                if (glob.matches(access.name())) return true;
            }
        }
        return false;
    }

    /** The actions out of {@code wanted} that {@code user} may do on {@code access}'s resource. */
    public Set<Action> allowedActions(Optional<String> user, String type, String name, Set<Action> wanted) {
        Set<Action> allowed = EnumSet.noneOf(Action.class);
        for (Action action : wanted) {
            if (allows(user, new Access(type, name, action))) allowed.add(action);
        }
        return allowed;
    }

    private boolean isAdmin(String user) {
        if (admins.users().contains(user)) return true;
        for (String group : groupsOfUser.getOrDefault(user, Set.of())) {
            if (admins.groups().contains(group)) return true;
        }
        return false;
    }

    private static boolean appliesTo(Rule rule, Optional<String> user, Set<String> groups) {
        if (rule.anonymous()) return true; // what anonymous users may do, everybody may
        if (user.isEmpty()) return false;
        if (rule.users().contains("*") || rule.users().contains(user.get())) return true;
        for (String group : rule.groups()) {
            if (groups.contains(group)) return true;
        }
        return false;
    }

    private static boolean grants(Set<Action> actions, Action wanted) {
        if (wanted == Action.ALL) return actions.containsAll(EnumSet.of(Action.PULL, Action.PUSH, Action.DELETE));
        return actions.contains(wanted);
    }
}
