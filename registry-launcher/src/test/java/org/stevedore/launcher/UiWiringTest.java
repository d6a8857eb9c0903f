package org.stevedore.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mindrot.jbcrypt.BCrypt;
import org.stevedore.registry.Registry;

/**
 * {@code ui.*}: the web UI on the main listener under /ui/ by default, off with
 * {@code REGISTRY_UI_ENABLED=false}; its session key kept in storage unless configured; its login
 * checking the built-in token server's users.
 */
class UiWiringTest {
    @TempDir
    Path temp;

    @RegisterExtension
    final InProcessServe launcher = new InProcessServe();
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    private HttpResponse<String> get(Registry registry, String path, String cookie) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(registry.url().resolve(path));
        if (cookie != null) request.header("Cookie", cookie);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theUiIsOnByDefaultAndKeepsItsSessionKeyInStorage() throws Exception {
        Path root = temp.resolve("data");
        Registry registry = launcher.startWithoutWarnings(Map.of(), "--addr", "127.0.0.1:0", "--root", root.toString());
        Path key = root.resolve("stevedore/ui/session-key");
        assertFalse(Files.exists(key), "nothing written before the UI is used");
        HttpResponse<String> page = get(registry, "/ui/", null);
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("frame-ancestors 'none'"));
        assertTrue(Files.size(key) >= 32, "the key every node over this storage shares");
        assertEquals(200, get(registry, "/v2/", null).statusCode(), "the API is unchanged");
    }

    @Test
    void theUiShowsTheConfiguredPoliciesQuotaAndRetention() throws Exception {
        Registry registry = launcher.startWithoutWarnings(Map.of(
                        "REGISTRY_POLICIES_QUOTAS", "[{repositories: \"team/**\", bytes: 1MiB}]",
                        "REGISTRY_POLICIES_RETENTION_RULES", "[{repositories: \"team/**\", keeplatest: 1}]"),
                "--addr", "127.0.0.1:0", "--root", temp.resolve("data").toString());
        registry.fixtures().pushImage("team/app", "old", 100);
        Thread.sleep(15);
        registry.fixtures().pushImage("team/app", "new", 100);
        String repository = get(registry, "/ui/r/team/app", null).body();
        assertTrue(repository.contains("id=\"usage\"") && repository.contains("<strong>quota</strong> 1.0 MB"), repository);
        HttpResponse<String> preview = get(registry, "/ui/retention", null);
        assertEquals(200, preview.statusCode(), "without auth everyone administers, as on /api/v1/");
        assertTrue(preview.body().contains("data-name=\"old\" data-action=\"delete\""), preview.body());
    }

    @Test
    void registryUiEnabledFalseTurnsItOff() throws Exception {
        Registry registry = launcher.startWithoutWarnings(Map.of("REGISTRY_UI_ENABLED", "false"),
                "--addr", "127.0.0.1:0", "--root", temp.resolve("data").toString());
        HttpResponse<String> page = get(registry, "/ui/", null);
        assertEquals(404, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Security-Policy").isEmpty());
    }

    @Test
    void aSessionKeyThatIsTooShortStopsTheStart() {
        StringWriter err = new StringWriter();
        assertNotEquals(0, launcher.execute(Map.of("REGISTRY_UI_SESSIONKEY", "c2hvcnQ="), err,
                "--addr", "127.0.0.1:0", "--root", temp.resolve("data").toString()));
        assertTrue(err.toString().contains("ui.sessionkey"), err.toString());
        assertFalse(err.toString().contains("c2hvcnQ="), "the secret is not echoed");
    }

    @Test
    void withTheBuiltInTokenServerTheLoginFormChecksItsUsers() throws Exception {
        Path htpasswd = temp.resolve("htpasswd");
        Files.writeString(htpasswd, "admin:" + BCrypt.hashpw("admin-pw", BCrypt.gensalt(4)) + "\n");
        Map<String, String> env = new HashMap<>(Map.of("REGISTRY_STORAGE", "inmemory", "REGISTRY_HTTP_ADDR", "127.0.0.1:0",
                "REGISTRY_AUTH", "token", "REGISTRY_AUTH_TOKEN_REALM", "http://127.0.0.1:5000/auth/token",
                "REGISTRY_AUTH_TOKEN_SERVICE", "stevedore.test", "REGISTRY_AUTH_TOKEN_ISSUER", "stevedore",
                "REGISTRY_AUTH_TOKEN_BUILTIN_HTPASSWD", htpasswd.toString(),
                "REGISTRY_UI_SESSIONKEY", "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="));
        Registry registry = launcher.startWithoutWarnings(env);
        HttpResponse<String> form = get(registry, "/ui/login", null);
        String cookie = form.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        Matcher csrf = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(form.body());
        assertTrue(csrf.find());
        assertEquals(200, login(registry, cookie, csrf.group(1), "wrong").statusCode(), "the form again");
        HttpResponse<String> loggedIn = login(registry, cookie, csrf.group(1), "admin-pw");
        assertEquals(303, loggedIn.statusCode(), loggedIn.body());
        String session = loggedIn.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        assertTrue(get(registry, "/ui/", session).body().contains("<span class=\"who\">admin</span>"));
    }

    private HttpResponse<String> login(Registry registry, String cookie, String csrf, String password) throws Exception {
        String body = "csrf=" + URLEncoder.encode(csrf, StandardCharsets.UTF_8) + "&username=admin&password=" + password;
        return http.send(HttpRequest.newBuilder(registry.url().resolve("/ui/login")).header("Cookie", cookie)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
