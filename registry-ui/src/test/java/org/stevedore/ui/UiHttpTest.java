package org.stevedore.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The UI over HTTP, as a browser with JavaScript off sees it: auth, CSRF, headers, escaping, paging. */
class UiHttpTest {
    @TempDir
    static Path directory;
    static UiRegistry ui;

    @BeforeAll
    static void start() throws Exception {
        ui = new UiRegistry(directory);
    }

    @AfterAll
    static void stop() {
        ui.close();
    }

    private UiClient client() {
        return new UiClient(ui.registry.url());
    }

    private UiClient alice() throws Exception {
        UiClient alice = client();
        alice.logIn(UiRegistry.ALICE, UiRegistry.ALICE_PASSWORD);
        return alice;
    }

    @Test
    void everyPageCarriesTheSecurityHeaders() throws Exception {
        for (String path : new String[] {"/ui/", "/ui/login", "/ui/r/team/app", "/ui/nothing-here"}) {
            HttpResponse<String> response = client().get(path);
            String csp = response.headers().firstValue("Content-Security-Policy").orElseThrow(() -> new AssertionError(path));
            assertTrue(csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'")
                    && !csp.contains("unsafe-inline"), csp);
            assertEquals("nosniff", response.headers().firstValue("X-Content-Type-Options").orElse(""), path);
        }
        String page = alice().get("/ui/").body();
        assertFalse(Pattern.compile("<script>[^<]").matcher(page).find(), "no inline script");
        assertFalse(page.contains("style="), "no inline style");
    }

    @Test
    void staticAssetsHaveHashedNamesAndLongCacheLifetimes() throws Exception {
        String page = client().get("/ui/login").body();
        Matcher css = Pattern.compile("href=\"(/ui/static/ui\\.[0-9a-f]{12}\\.css)\"").matcher(page);
        Matcher js = Pattern.compile("src=\"(/ui/static/ui\\.[0-9a-f]{12}\\.js)\"").matcher(page);
        assertTrue(css.find() && js.find(), page);
        HttpResponse<String> style = client().get(css.group(1));
        assertEquals(200, style.statusCode());
        assertTrue(style.headers().firstValue("Content-Type").orElse("").startsWith("text/css"));
        assertEquals("public, max-age=31536000, immutable", style.headers().firstValue("Cache-Control").orElse(""));
        assertEquals(404, client().get("/ui/static/ui.000000000000.css").statusCode());
        assertEquals("no-store", client().get("/ui/login").headers().firstValue("Cache-Control").orElse(""));
    }

    @Test
    void visitorsSeeOnlyAnonymousRepositoriesAndAreSentToLogInForOthers() throws Exception {
        UiClient visitor = client();
        String home = visitor.get("/ui/").body();
        assertTrue(home.contains("public/tools"), home);
        assertFalse(home.contains("team/app") || home.contains("shared/base"), home);
        HttpResponse<String> hidden = visitor.get("/ui/r/team/app");
        assertEquals(303, hidden.statusCode());
        assertEquals("/ui/login", hidden.headers().firstValue("Location").orElse(""));
        assertEquals(303, visitor.get("/ui/m/team/app@" + ui.index.digest()).statusCode());
    }

    @Test
    void logInSetsAStrictHttpOnlySessionCookieAndWrongPasswordsDoNot() throws Exception {
        UiClient client = client();
        String token = UiClient.csrfOf(client.get("/ui/login").body());
        String visitorCookie = client.cookie().orElseThrow();
        HttpResponse<String> wrong = client.post("/ui/login",
                Map.of("csrf", token, "username", UiRegistry.ALICE, "password", "not-it"), Map.of());
        assertEquals(200, wrong.statusCode());
        assertTrue(wrong.body().contains("Wrong user name or password"));
        assertTrue(wrong.headers().firstValue("Set-Cookie").isEmpty());
        HttpResponse<String> right = client.post("/ui/login",
                Map.of("csrf", token, "username", UiRegistry.ALICE, "password", UiRegistry.ALICE_PASSWORD), Map.of());
        assertEquals(303, right.statusCode());
        String setCookie = right.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict")
                && setCookie.contains("Path=/ui"), setCookie);
        assertFalse(setCookie.contains("Secure"), "plain HTTP: no Secure flag");
        assertFalse(setCookie.contains(UiRegistry.ALICE_PASSWORD));
        assertNotEquals(visitorCookie, client.cookie().orElseThrow(), "a new session after login");
        assertTrue(client.get("/ui/?q=team/app").body().contains("href=\"/ui/r/team/app\""));
    }

    @Test
    void aTamperedCookieIsNoSession() throws Exception {
        UiClient alice = alice();
        String cookie = alice.cookie().orElseThrow();
        String forged = cookie.replace(base64(UiRegistry.ALICE), base64(UiRegistry.BOB));
        assertNotEquals(cookie, forged);
        UiClient mallory = client();
        mallory.cookie(forged);
        HttpResponse<String> response = mallory.get("/ui/r/shared/base");
        assertEquals(303, response.statusCode(), "treated as a visitor");
    }

    @Test
    void deletionWithoutTheSessionsCsrfTokenIsRefused() throws Exception {
        ui.pusher.image("team/csrf", "keep", "linux", "amd64", Map.of(), 1);
        UiClient alice = alice();
        String confirm = alice.get("/ui/delete?repository=team/csrf&reference=keep").body();
        String token = UiClient.csrfOf(confirm);
        Map<String, String> form = Map.of("repository", "team/csrf", "reference", "keep");
        assertEquals(403, alice.post("/ui/delete", form, Map.of()).statusCode(), "no token");
        assertEquals(403, alice.post("/ui/delete", with(form, "csrf", "x" + token), Map.of()).statusCode());
        UiClient other = alice();
        String othersToken = UiClient.csrfOf(other.get("/ui/").body());
        assertEquals(403, alice.post("/ui/delete", with(form, "csrf", othersToken), Map.of()).statusCode(),
                "another session's token");
        assertEquals(403, alice.post("/ui/delete", with(form, "csrf", token), Map.of("Origin", "http://evil.example"))
                .statusCode(), "cross-origin");
        assertTrue(alice.get("/ui/r/team/csrf").body().contains(">keep<"), "still there");
        HttpResponse<String> deleted = alice.post("/ui/delete", with(form, "csrf", token),
                Map.of("Origin", ui.registry.url().toString().replaceAll("/$", "")));
        assertEquals(303, deleted.statusCode(), deleted.body());
        assertEquals(404, status("/v2/team/csrf/manifests/keep"));
    }

    @Test
    void aUserWithoutDeleteRightsSeesNoDeleteAndCannotPostOne() throws Exception {
        UiClient bob = client();
        bob.logIn(UiRegistry.BOB, UiRegistry.BOB_PASSWORD);
        String home = bob.get("/ui/").body();
        assertTrue(home.contains("public/tools") && home.contains("shared/base"), home);
        assertFalse(home.contains("team/app"), home);
        assertEquals(404, bob.get("/ui/r/team/app").statusCode());
        String shared = bob.get("/ui/r/shared/base").body();
        assertFalse(shared.contains("/ui/delete"), shared);
        assertEquals(403, bob.get("/ui/delete?repository=shared/base&reference=1.0").statusCode());
        String token = UiClient.csrfOf(shared);
        assertEquals(403, bob.post("/ui/delete", Map.of("csrf", token, "repository", "shared/base", "reference", "1.0"),
                Map.of()).statusCode());
        assertTrue(bob.get("/ui/r/shared/base").body().contains(">1.0<"));
    }

    @Test
    void hostileLabelsAndQueriesAreEscaped() throws Exception {
        UiClient alice = alice();
        String image = alice.get("/ui/m/team/app@" + ui.pusher.image("team/app", "labelled", "linux", "amd64",
                Map.of("note", UiRegistry.HOSTILE_LABEL), 1).digest()).body();
        assertFalse(image.contains(UiRegistry.HOSTILE_LABEL), "label not raw");
        assertTrue(image.contains("&lt;script&gt;alert(&#39;label&#39;)&lt;/script&gt;"), image);
        String search = alice.get("/ui/?q=%3Cscript%3Ealert(1)%3C/script%3E").body();
        assertFalse(search.contains("<script>alert(1)"), search);
        assertTrue(search.contains("&lt;script&gt;alert(1)"), search);
    }

    @Test
    void theRepositoryPagePagesThroughManyTagsNewestFirst() throws Exception {
        Pusher.Pushed first = ui.pusher.image("team/many", "t000", "linux", "amd64", Map.of(), 1);
        com.fasterxml.jackson.databind.JsonNode manifest = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(rawOf("team/many", first));
        for (int i = 1; i < 119; i++) ui.pusher.manifest("team/many", String.format("t%03d", i), Pusher.OCI_MANIFEST, manifest);
        Thread.sleep(20);
        ui.pusher.manifest("team/many", "newest", Pusher.OCI_MANIFEST, manifest);
        UiClient alice = alice();
        String page1 = alice.get("/ui/r/team/many").body();
        assertTrue(page1.contains("120 tags") && page1.contains("page 1 of 3"), page1);
        assertEquals(50, count(page1, "<tr data-name="));
        assertTrue(page1.indexOf("<tr data-name=\"newest\"") < page1.indexOf("<tr data-name=\"t"), "newest first");
        assertTrue(links(page1).contains("/ui/r/team/many?page=2"));
        String page3 = alice.get("/ui/r/team/many?page=3").body();
        assertEquals(20, count(page3, "<tr data-name="));
        assertTrue(links(page3).contains("?page=2") && !links(page3).contains("?page=4"));
        String filtered = alice.get("/ui/r/team/many?q=t11").body();
        assertEquals(9, count(filtered, "<tr data-name="), "t110..t118");
        String broad = alice.get("/ui/r/team/many?q=t").body();
        assertTrue(broad.contains("120 tags matching") && broad.contains("page 1 of 3"), "past 100 matches (\"newest\" has a t too), read all at once");
        assertTrue(broad.indexOf("<tr data-name=\"newest\"") < broad.indexOf("<tr data-name=\"t118\"")
                && !broad.contains("<tr data-name=\"t000\""), "newest first; the oldest is on page 3");
    }

    @Test
    void theRepositoriesPagePagesByName() throws Exception {
        for (int i = 0; i < 55; i++) ui.pusher.image(String.format("paged/r%02d", i), "x", "linux", "amd64", Map.of(), 1);
        UiClient alice = alice();
        String first = alice.get("/ui/?q=paged/").body();
        assertEquals(50, count(first, "<tr data-name="));
        Matcher next = Pattern.compile("href=\"(/ui/\\?q=paged%2F&last=[^\"]+)\" rel=\"next\"").matcher(links(first));
        assertTrue(next.find(), first);
        String second = alice.get(next.group(1)).body();
        assertEquals(5, count(second, "<tr data-name="));
        assertTrue(second.contains("paged/r54") && !second.contains("paged/r00"));
    }

    private static String rawOf(String repository, Pusher.Pushed image) throws Exception {
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(
                        ui.registry.url().resolve("/v2/" + repository + "/manifests/" + image.digest()))
                .header("Authorization", basicAlice())
                .header("Accept", Pusher.OCI_MANIFEST).build();
        return java.net.http.HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).body();
    }

    private static int status(String path) throws Exception {
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(ui.registry.url().resolve(path))
                .header("Authorization", basicAlice()).header("Accept", Pusher.OCI_MANIFEST).build();
        return java.net.http.HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static String basicAlice() {
        return "Basic " + java.util.Base64.getEncoder().encodeToString((UiRegistry.ALICE + ":" + UiRegistry.ALICE_PASSWORD)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static Map<String, String> with(Map<String, String> form, String key, String value) {
        Map<String, String> copy = new java.util.HashMap<>(form);
        copy.put(key, value);
        return copy;
    }

    /** The page with the entities JMustache writes in attribute values decoded, to read links. */
    private static String links(String html) {
        return html.replace("&#x3D;", "=").replace("&amp;", "&");
    }

    private static int count(String text, String needle) {
        int count = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) count++;
        return count;
    }

    private static String base64(String text) {
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
