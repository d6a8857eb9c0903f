package org.stevedore.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.stevedore.http.RegistryClient.OCI_MANIFEST;
import static org.stevedore.http.RegistryClient.assertError;
import static org.stevedore.http.RegistryClient.header;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.stevedore.registry.Registry;

/** {@code GET /v2/<name>/tags/list}: sorted, paged with {@code n} and {@code last}, linked with {@code Link}. */
class TagListTest {
    private static final int PAGE_LIMIT = 10;
    private static final String REPO = "tags/app";
    /** Thirteen tags, pushed out of order; their sorted order is the natural order of strings. */
    private static final List<String> TAGS = List.of("v1.1", "latest", "10", "9", "a", "B", "_underscore",
            "a-b", "a.b", "a_b", "v1.0", "1", "v2");
    private static final List<String> SORTED = List.copyOf(new TreeSet<>(TAGS));
    private static final Pattern NEXT = Pattern.compile("<([^>]+)>;\\s*rel=\"next\"");

    private static Registry registry;
    private static RegistryClient client;

    @BeforeAll
    static void start() {
        registry = TestRegistries.builder().maxPageSize(PAGE_LIMIT).start();
        client = new RegistryClient(registry);
        byte[] manifest = client.pushImage(REPO, TAGS.get(0), "tags");
        for (String tag : TAGS.subList(1, TAGS.size())) client.pushManifest(REPO, tag, OCI_MANIFEST, manifest);
        byte[] small = client.pushImage("tags/small", "c", "small");
        client.pushManifest("tags/small", "a", OCI_MANIFEST, small);
        client.pushManifest("tags/small", "b", OCI_MANIFEST, small);
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    private static List<String> tags(HttpResponse<byte[]> response) {
        assertEquals(200, response.statusCode(), () -> RegistryClient.text(response));
        assertTrue(header(response, "Content-Type").startsWith("application/json"));
        JsonNode body = RegistryClient.json(response.body());
        List<String> tags = new ArrayList<>();
        body.path("tags").forEach(tag -> tags.add(tag.asText()));
        return tags;
    }

    private static Optional<String> next(HttpResponse<byte[]> response) {
        return response.headers().firstValue("Link").map(link -> {
            Matcher m = NEXT.matcher(link);
            assertTrue(m.matches(), link);
            return m.group(1);
        });
    }

    @Test
    void listsEveryTagSortedWithTheRepositoryName() {
        HttpResponse<byte[]> response = client.get("/v2/tags/small/tags/list");
        assertEquals(List.of("a", "b", "c"), tags(response));
        assertEquals("tags/small", RegistryClient.json(response.body()).path("name").asText());
        assertTrue(next(response).isEmpty());
    }

    @Test
    void nCutsThePageAndLinksToTheRest() {
        HttpResponse<byte[]> response = client.get("/v2/" + REPO + "/tags/list?n=4");
        assertEquals(SORTED.subList(0, 4), tags(response));
        assertEquals("</v2/" + REPO + "/tags/list?last=" + SORTED.get(3) + "&n=4>; rel=\"next\"",
                header(response, "Link"));
    }

    @Test
    void lastStartsAfterTheNamedTag() {
        HttpResponse<byte[]> response = client.get("/v2/" + REPO + "/tags/list?n=3&last=" + SORTED.get(2));
        assertEquals(SORTED.subList(3, 6), tags(response));
    }

    @Test
    void lastNeedNotBeATag() {
        List<String> expected = new ArrayList<>(new TreeSet<>(TAGS).tailSet("a0", false));
        assertEquals(expected, tags(client.get("/v2/" + REPO + "/tags/list?last=a0")));
    }

    @Test
    void lastAfterEveryTagGivesAnEmptyPageWithoutLink() {
        HttpResponse<byte[]> response = client.get("/v2/" + REPO + "/tags/list?n=5&last=zzz");
        assertEquals(List.of(), tags(response));
        assertTrue(next(response).isEmpty());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 5, 12, 13})
    void followingLinksCollectsEveryTagExactlyOnce(int n) {
        List<String> collected = new ArrayList<>();
        Optional<String> page = Optional.of("/v2/" + REPO + "/tags/list?n=" + n);
        int requests = 0;
        while (page.isPresent()) {
            assertTrue(++requests <= TAGS.size() + 1, "pagination does not end");
            HttpResponse<byte[]> response = client.get(page.get());
            List<String> tags = tags(response);
            int pageSize = Math.min(n, PAGE_LIMIT);
            assertTrue(tags.size() <= pageSize, () -> tags + " is longer than " + pageSize);
            collected.addAll(tags);
            page = next(response);
            if (page.isPresent()) assertEquals(pageSize, tags.size(), "only the last page may be short");
        }
        assertEquals(SORTED, collected);
    }

    @Test
    void withoutNAPageHoldsAtMostTheRegistryLimit() {
        HttpResponse<byte[]> first = client.get("/v2/" + REPO + "/tags/list");
        assertEquals(SORTED.subList(0, PAGE_LIMIT), tags(first));
        assertEquals("</v2/" + REPO + "/tags/list?last=" + SORTED.get(PAGE_LIMIT - 1) + ">; rel=\"next\"",
                header(first, "Link"));

        HttpResponse<byte[]> second = client.get(next(first).orElseThrow());
        assertEquals(SORTED.subList(PAGE_LIMIT, SORTED.size()), tags(second));
        assertTrue(next(second).isEmpty());
    }

    @Test
    void nAboveTheRegistryLimitIsCutToIt() {
        HttpResponse<byte[]> response = client.get("/v2/" + REPO + "/tags/list?n=1000");
        assertEquals(SORTED.subList(0, PAGE_LIMIT), tags(response));
        assertTrue(next(response).isPresent());
    }

    @Test
    void nCoveringTheRestGivesNoLink() {
        HttpResponse<byte[]> response = client.get("/v2/tags/small/tags/list?n=3");
        assertEquals(List.of("a", "b", "c"), tags(response));
        assertTrue(next(response).isEmpty());
    }

    @Test
    void nZeroGivesAnEmptyList() {
        HttpResponse<byte[]> response = client.get("/v2/" + REPO + "/tags/list?n=0");
        assertEquals(List.of(), tags(response));
        assertTrue(next(response).isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "abc", "1.5", "99999999999", "%2B1"})
    void invalidNIsPaginationNumberInvalid(String n) {
        assertError(client.get("/v2/" + REPO + "/tags/list?n=" + n), 400, "PAGINATION_NUMBER_INVALID");
    }

    @Test
    void unknownRepositoryIsNameUnknown() {
        assertError(client.get("/v2/tags/never-pushed/tags/list"), 404, "NAME_UNKNOWN");
    }

    @Test
    void repositoryWithOnlyBlobsHasNoTagListLikeTheReferenceRegistry() {
        client.pushBlob("tags/blobs-only", RegistryClient.utf8("just a blob"));
        assertError(client.get("/v2/tags/blobs-only/tags/list"), 404, "NAME_UNKNOWN");
    }

    @Test
    void movingATagListsItOnce() {
        client.pushImage("tags/moved", "x", "first");
        client.pushImage("tags/moved", "x", "second");
        assertEquals(List.of("x"), tags(client.get("/v2/tags/moved/tags/list")));
    }
}
