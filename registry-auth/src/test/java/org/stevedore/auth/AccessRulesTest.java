package org.stevedore.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stevedore.auth.rules.AccessRules;
import org.stevedore.registry.Registry;

/** Per-repository rules over HTTP: who may pull, push, delete, list and mount what. */
class AccessRulesTest {
    private static final String RULES = String.join("\n",
            "groups:",
            "  readers: [rita]",
            "rules:",
            "  - repositories: [\"**\"]",
            "    users: [admin]",
            "    actions: [\"*\"]",
            "  - repositories: [\"team/*\"]",
            "    groups: [readers]",
            "    actions: [pull]",
            "  - repositories: [\"public/**\"]",
            "    anonymous: true",
            "    actions: [pull]",
            "");

    @TempDir
    Path temp;

    private Registry registry;
    private AuthHttp http;
    private final String admin = AuthHttp.basic("admin", "admin-pw");
    private final String rita = AuthHttp.basic("rita", "rita-pw");
    private final String olga = AuthHttp.basic("olga", "olga-pw");
    private final ObjectMapper json = new ObjectMapper();

    @BeforeEach
    void start() throws Exception {
        Path htpasswd = Htpasswd.write(temp.resolve("htpasswd"), "admin", "admin-pw", "rita", "rita-pw", "olga", "olga-pw");
        Path rules = Files.writeString(temp.resolve("access.yml"), RULES);
        registry = Registry.builder()
                .accessController(AuthConfigurations.htpasswd(htpasswd, "Registry Realm", Optional.of(rules)))
                .start();
        http = new AuthHttp(registry);
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    @Test
    void readOnlyUserPullsButGets403OnPushAndDelete() {
        String digest = http.pushBlob("team/app", "layer".getBytes(StandardCharsets.UTF_8), admin);
        assertEquals(200, http.get("/v2/team/app/blobs/" + digest, rita).statusCode());
        HttpResponse<String> push = http.send("POST", "/v2/team/app/blobs/uploads/", rita, null);
        assertEquals(403, push.statusCode());
        assertTrue(push.body().contains("\"DENIED\""), push.body());
        assertEquals(403, http.send("DELETE", "/v2/team/app/blobs/" + digest, rita, null).statusCode());
        // Outside team/*, rita may do nothing; olga (no rule) may do nothing at all.
        assertEquals(403, http.get("/v2/other/app/tags/list", rita).statusCode());
        assertEquals(403, http.get("/v2/team/app/blobs/" + digest, olga).statusCode());
        // A wrong password is still 401, not 403.
        assertEquals(401, http.get("/v2/team/app/blobs/" + digest, AuthHttp.basic("rita", "nope")).statusCode());
    }

    @Test
    void anonymousPullOfAnAllowedPatternNeedsNoCredentials() {
        String digest = http.pushBlob("public/base/alpine", "base".getBytes(StandardCharsets.UTF_8), admin);
        assertEquals(200, http.get("/v2/public/base/alpine/blobs/" + digest, null).statusCode());
        assertEquals(200, http.send("HEAD", "/v2/public/base/alpine/blobs/" + digest, null, null).statusCode());
        // Anonymous writes and reads elsewhere are asked for credentials, not refused.
        HttpResponse<String> push = http.send("POST", "/v2/public/base/alpine/blobs/uploads/", null, null);
        assertEquals(401, push.statusCode());
        assertEquals("Basic realm=\"Registry Realm\"", push.headers().firstValue("WWW-Authenticate").orElse(""));
        assertEquals(401, http.get("/v2/team/app/tags/list", null).statusCode());
        assertEquals(401, http.get("/v2/", null).statusCode(), "/v2/ always tells clients the challenge");
    }

    @Test
    void catalogListsOnlyWhatTheCallerMayPull() throws Exception {
        for (String name : List.of("team/app", "team/web", "public/base", "secret/keys")) {
            http.pushBlob(name, name.getBytes(StandardCharsets.UTF_8), admin);
        }
        assertEquals(List.of("public/base", "secret/keys", "team/app", "team/web"), catalog(admin));
        assertEquals(List.of("public/base", "team/app", "team/web"), catalog(rita));
        assertEquals(List.of("public/base"), catalog(olga));
        assertEquals(List.of("public/base"), catalog(null));
    }

    @Test
    void mountNeedsPullOnTheSourceRepository() throws Exception {
        String digest = http.pushBlob("secret/keys", "key".getBytes(StandardCharsets.UTF_8), admin);
        // A second registry over the same storage, where rita may push team/* but not read secret/*.
        Path rules = Files.writeString(temp.resolve("pusher.yml"),
                "rules:\n  - repositories: [\"team/*\"]\n    users: [rita]\n    actions: [pull, push]\n");
        try (Registry other = Registry.builder().storage(registry.storage())
                .accessController(AuthConfigurations.htpasswd(temp.resolve("htpasswd"), "R", Optional.of(rules)))
                .start()) {
            HttpResponse<String> mount = new AuthHttp(other).send("POST",
                    "/v2/team/app/blobs/uploads/?mount=" + digest + "&from=secret/keys", rita, null);
            assertEquals(403, mount.statusCode(), mount.body());
        }
        HttpResponse<String> mount = http.send("POST",
                "/v2/team/app/blobs/uploads/?mount=" + digest + "&from=secret/keys", admin, null);
        assertEquals(201, mount.statusCode(), mount.body());
    }

    @Test
    void badRulesFilesAreRefusedWithTheReason() throws Exception {
        Path unknownAction = Files.writeString(temp.resolve("bad1.yml"),
                "rules:\n  - repositories: [\"a/*\"]\n    users: [x]\n    actions: [fly]\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AccessRules.load(unknownAction));
        assertTrue(e.getMessage().contains("bad1.yml") && e.getMessage().contains("unknown action fly"), e.getMessage());
        Path anonymousPush = Files.writeString(temp.resolve("bad2.json"),
                "{\"rules\":[{\"repositories\":[\"a/*\"],\"anonymous\":true,\"actions\":[\"push\"]}]}");
        e = assertThrows(IllegalArgumentException.class, () -> AccessRules.load(anonymousPush));
        assertTrue(e.getMessage().contains("anonymous users may only pull"), e.getMessage());
    }

    @Test
    void theAdminPermissionGoesOnlyToTheUsersAndGroupsAdminsNames() throws Exception {
        Path file = Files.writeString(temp.resolve("admins.yml"), String.join("\n",
                "groups:",
                "  ops: [oscar]",
                "rules:",
                "  - repositories: [\"**\"]",
                "    users: [\"*\"]",
                "    actions: [\"*\"]",
                "  - repositories: [\"**\"]",
                "    anonymous: true",
                "    actions: [pull]",
                "admins:",
                "  users: [alice]",
                "  groups: [ops]",
                ""));
        AccessRules rules = AccessRules.load(file);
        Access admin = new Access(Access.REGISTRY, AccessRules.ADMIN, Action.ALL);
        assertTrue(rules.allows(Optional.of("alice"), admin));
        assertTrue(rules.allows(Optional.of("oscar"), admin), "through the ops group");
        assertEquals(false, rules.allows(Optional.of("bob"), admin), "every repository is not admin");
        assertEquals(false, rules.allows(Optional.empty(), admin), "never anonymous");
        assertEquals(false, AccessRules.load(Files.writeString(temp.resolve("none.yml"), RULES))
                .allows(Optional.of("admin"), admin), "without admins, nobody");

        Path star = Files.writeString(temp.resolve("star.yml"), "rules: []\nadmins:\n  users: [\"*\"]\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AccessRules.load(star));
        assertTrue(e.getMessage().contains("admins.users"), e.getMessage());
        Path unknown = Files.writeString(temp.resolve("unknown.yml"), "rules: []\nadmins:\n  roles: [x]\n");
        e = assertThrows(IllegalArgumentException.class, () -> AccessRules.load(unknown));
        assertTrue(e.getMessage().contains("admins: unknown key roles"), e.getMessage());
    }

    private List<String> catalog(String authorization) throws Exception {
        HttpResponse<String> response = http.get("/v2/_catalog", authorization);
        assertEquals(200, response.statusCode(), response.body());
        List<String> names = new ArrayList<>();
        for (JsonNode name : json.readTree(response.body()).path("repositories")) names.add(name.asText());
        return names;
    }
}
