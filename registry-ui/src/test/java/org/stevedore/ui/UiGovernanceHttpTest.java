package org.stevedore.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stevedore.registry.Registry;

/**
 * The governance pages over HTTP: usage and quota as the policies API gives them, to whoever may
 * pull; the retention preview to administrators only; escaping and CSRF as on every page.
 */
class UiGovernanceHttpTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern USAGE = Pattern.compile("id=\"usage\" data-bytes=\"(\\d+)\"");

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

    private static UiClient logIn(String user, String password) throws Exception {
        UiClient client = new UiClient(ui.registry.url());
        client.logIn(user, password);
        return client;
    }

    @Test
    void theRepositoryPageShowsTheUsageAndQuotaThePoliciesApiGives() throws Exception {
        JsonNode api = apiUsage("team/app");
        String page = logIn(UiRegistry.ALICE, UiRegistry.ALICE_PASSWORD).get("/ui/r/team/app").body();
        Matcher usage = USAGE.matcher(page);
        assertTrue(usage.find(), page);
        assertEquals(api.path("bytes").asLong(), Long.parseLong(usage.group(1)), "the same figure as /api/v1/");
        assertEquals(UiRegistry.QUOTA, api.path("quota").asLong());
        assertTrue(page.contains("<strong>quota</strong> 1.0 MB"), page);
        assertTrue(page.contains(api.path("blobs").asInt() + " blobs, " + api.path("manifests").asInt() + " manifests"), page);
        assertTrue(page.contains("max=\"" + UiRegistry.QUOTA + "\""), "a meter against the quota");
    }

    @Test
    void theRepositoriesPageShowsUsageAndQuotaOfEachRepositoryTheUserMayPull() throws Exception {
        String alice = logIn(UiRegistry.ALICE, UiRegistry.ALICE_PASSWORD).get("/ui/").body();
        assertTrue(alice.contains("<th class=\"num\">Usage</th><th>Quota</th>"), alice);
        assertTrue(row(alice, "team/app").contains("% of 1.0 MB"), row(alice, "team/app"));
        assertTrue(row(alice, "shared/base").contains("none"), "no quota rule for shared/**");

        UiClient bob = logIn(UiRegistry.BOB, UiRegistry.BOB_PASSWORD);
        String bobs = bob.get("/ui/").body();
        assertFalse(bobs.contains("team/app"), "usage only of repositories bob may pull");
        String shared = bob.get("/ui/r/shared/base").body();
        assertTrue(USAGE.matcher(shared).find(), "bob may pull shared/base, so he sees its usage");
        assertFalse(shared.contains("Retention preview"), "but no retention link");
        assertEquals(404, bob.get("/ui/r/team/app").statusCode());
    }

    @Test
    void theRetentionPreviewShowsWhatTheNextRunWouldDeleteAndWhichRuleDecided() throws Exception {
        UiClient alice = logIn(UiRegistry.ALICE, UiRegistry.ALICE_PASSWORD);
        String home = alice.get("/ui/").body();
        assertTrue(home.contains("href=\"/ui/retention\""), "administrators get the link");
        HttpResponse<String> overview = alice.get("/ui/retention");
        assertEquals(200, overview.statusCode());
        String page = overview.body();
        assertTrue(page.contains("data-repository=\"team/retained\""), page);
        assertFalse(page.contains("data-repository=\"team/app\""), "no rule applies to team/app");
        assertTrue(page.contains("<strong>1</strong> kept, <strong class=\"danger\">2</strong> to delete"), page);
        assertTrue(page.contains("data-name=\"r1\" data-action=\"delete\"") && page.contains("data-name=\"r2\" data-action=\"delete\""),
                page);
        assertTrue(page.contains("kept by no criterion") && page.contains("policies.retention.rules[0]"), page);

        String details = alice.get("/ui/retention?repository=team/retained").body();
        assertTrue(details.contains("data-name=\"r3\" data-action=\"keep\""), details);
        assertTrue(details.contains("among the 1 latest pushed"), details);
        assertTrue(details.indexOf("data-action=\"delete\"") < details.indexOf("data-action=\"keep\""), "deletions first");
        assertTrue(alice.get("/ui/r/team/retained").body().replace("&#x3D;", "=")
                .contains("/ui/retention?repository=team%2Fretained"));

        assertEquals(200, status("/v2/team/retained/manifests/r1"), "a preview deletes nothing");
        assertEquals(404, alice.get("/ui/retention?repository=team/app").statusCode(), "no rule applies");
        assertEquals(400, alice.get("/ui/retention?repository=%3Cscript%3E").statusCode());
    }

    @Test
    void theRetentionPreviewIsForAdministratorsOnly() throws Exception {
        UiClient bob = logIn(UiRegistry.BOB, UiRegistry.BOB_PASSWORD);
        assertFalse(bob.get("/ui/").body().contains("/ui/retention"), "no link for bob");
        HttpResponse<String> refused = bob.get("/ui/retention");
        assertEquals(403, refused.statusCode());
        assertFalse(refused.body().contains("team/retained"), refused.body());
        assertEquals(403, bob.get("/ui/retention?repository=team/retained").statusCode());

        UiClient visitor = new UiClient(ui.registry.url());
        HttpResponse<String> anonymous = visitor.get("/ui/retention");
        assertEquals(303, anonymous.statusCode());
        assertEquals("/ui/login", anonymous.headers().firstValue("Location").orElse(""));
        UiClient mallory = new UiClient(ui.registry.url());
        mallory.cookie("stevedore_ui=1.YWxpY2U.bm9uY2U.9999999999.forged");
        assertEquals(303, mallory.get("/ui/retention").statusCode(), "a forged cookie is no session");
    }

    @Test
    void governancePagesFollowTheSameCsrfAndHeaderRules() throws Exception {
        UiClient alice = logIn(UiRegistry.ALICE, UiRegistry.ALICE_PASSWORD);
        HttpResponse<String> page = alice.get("/ui/retention");
        String csp = page.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"), csp);
        assertEquals("no-store", page.headers().firstValue("Cache-Control").orElse(""));
        assertFalse(page.body().contains("style="), "no inline style: the meter needs none");
        assertEquals(403, alice.post("/ui/retention", Map.of(), Map.of()).statusCode(), "a POST without the token");
        String token = UiClient.csrfOf(page.body());
        assertEquals(404, alice.post("/ui/retention", Map.of("csrf", token), Map.of()).statusCode(),
                "with it: the preview takes no POST (running retention is the API's)");
    }

    @Test
    void withoutPoliciesTheUiShowsNoGovernance() throws Exception {
        try (Registry plain = Registry.builder().mount(WebUi.PREFIX, WebUi.defaults()).start()) {
            new Pusher(plain.url(), java.util.Optional.empty()).image("team/app", "v1", "linux", "amd64", Map.of(), 1);
            UiClient client = new UiClient(plain.url());
            String repository = client.get("/ui/r/team/app").body();
            assertFalse(USAGE.matcher(repository).find(), repository);
            assertTrue(client.get("/ui/").body().contains("<th class=\"num\">Size</th><th>Last push</th>"));
            assertEquals(404, client.get("/ui/retention").statusCode());
        }
    }

    private static String row(String html, String name) {
        int start = html.indexOf("<tr data-name=\"" + name + "\">");
        assertTrue(start >= 0, name + " not listed");
        return html.substring(start, html.indexOf("</tr>", start));
    }

    private static JsonNode apiUsage(String repository) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(ui.registry.url().resolve("/api/v1/repositories/" + repository + "/usage"))
                .header("Authorization", basicAlice()).build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }

    private static int status(String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(ui.registry.url().resolve(path)).header("Authorization", basicAlice())
                .header("Accept", Pusher.OCI_MANIFEST).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static String basicAlice() {
        return "Basic " + Base64.getEncoder().encodeToString((UiRegistry.ALICE + ":" + UiRegistry.ALICE_PASSWORD)
                .getBytes(StandardCharsets.UTF_8));
    }
}
