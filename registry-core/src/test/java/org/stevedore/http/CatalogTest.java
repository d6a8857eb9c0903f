package org.stevedore.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.stevedore.http.RegistryClient.assertError;
import static org.stevedore.http.RegistryClient.header;
import static org.stevedore.http.RegistryClient.utf8;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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

/** {@code GET /v2/_catalog}: every repository, nested ones included, sorted and paged. */
class CatalogTest {
    /** Pushed in this order; nested names, separators and names containing route words. */
    private static final List<String> WITH_BLOBS = List.of("zeta", "alpha/beta/gamma", "alpha", "m-1", "m.2",
            "m_3", "m__4", "b/blobs/c", "x/manifests");
    private static final List<String> WITH_MANIFESTS = List.of("alpha/beta", "images/app");
    private static final List<String> SORTED;
    private static final Pattern NEXT = Pattern.compile("<([^>]+)>;\\s*rel=\"next\"");

    static {
        TreeSet<String> all = new TreeSet<>(WITH_BLOBS);
        all.addAll(WITH_MANIFESTS);
        SORTED = List.copyOf(all);
    }

    private static Registry registry;
    private static RegistryClient client;

    @BeforeAll
    static void start() {
        registry = TestRegistries.builder().start();
        client = new RegistryClient(registry);
        for (String name : WITH_BLOBS) client.pushBlob(name, utf8("a blob of " + name));
        for (String name : WITH_MANIFESTS) client.pushImage(name, "latest", name);
        // An upload in progress does not make a repository.
        client.startUpload("pending/upload");
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    private static List<String> repositories(HttpResponse<byte[]> response) {
        assertEquals(200, response.statusCode(), () -> RegistryClient.text(response));
        assertTrue(header(response, "Content-Type").startsWith("application/json"));
        List<String> names = new ArrayList<>();
        RegistryClient.json(response.body()).path("repositories").forEach(name -> names.add(name.asText()));
        return names;
    }

    private static Optional<String> next(HttpResponse<byte[]> response) {
        return response.headers().firstValue("Link").map(link -> {
            Matcher m = NEXT.matcher(link);
            assertTrue(m.matches(), link);
            return m.group(1);
        });
    }

    @Test
    void listsEveryRepositorySorted() {
        HttpResponse<byte[]> response = client.get("/v2/_catalog");
        assertEquals(SORTED, repositories(response));
        assertTrue(next(response).isEmpty());
        assertEquals("registry/2.0", header(response, RegistryClient.API_VERSION));
    }

    @Test
    void nCutsThePageAndLinksToTheRest() {
        HttpResponse<byte[]> response = client.get("/v2/_catalog?n=2");
        assertEquals(SORTED.subList(0, 2), repositories(response));
        String last = URLEncoder.encode(SORTED.get(1), StandardCharsets.UTF_8);
        assertEquals("</v2/_catalog?last=" + last + "&n=2>; rel=\"next\"", header(response, "Link"));
    }

    @Test
    void lastStartsAfterTheNamedRepository() {
        HttpResponse<byte[]> response = client.get("/v2/_catalog?last=alpha/beta");
        assertEquals(new ArrayList<>(new TreeSet<>(SORTED).tailSet("alpha/beta", false)), repositories(response));
    }

    @Test
    void lastMayBeEncoded() {
        HttpResponse<byte[]> response = client.get("/v2/_catalog?n=1&last=alpha%2Fbeta");
        assertEquals(List.of("alpha/beta/gamma"), repositories(response));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4, 10, 11, 12})
    void followingLinksCollectsEveryRepositoryExactlyOnce(int n) {
        List<String> collected = new ArrayList<>();
        Optional<String> page = Optional.of("/v2/_catalog?n=" + n);
        int requests = 0;
        while (page.isPresent()) {
            assertTrue(++requests <= SORTED.size() + 1, "pagination does not end");
            HttpResponse<byte[]> response = client.get(page.get());
            List<String> names = repositories(response);
            assertTrue(names.size() <= n);
            collected.addAll(names);
            page = next(response);
            if (page.isPresent()) assertEquals(n, names.size(), "only the last page may be short");
        }
        assertEquals(SORTED, collected);
    }

    @Test
    void nZeroGivesAnEmptyList() {
        HttpResponse<byte[]> response = client.get("/v2/_catalog?n=0");
        assertEquals(List.of(), repositories(response));
        assertTrue(next(response).isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "abc", "2x"})
    void invalidNIsPaginationNumberInvalid(String n) {
        assertError(client.get("/v2/_catalog?n=" + n), 400, "PAGINATION_NUMBER_INVALID");
    }

    @Test
    void catalogAnswersOnlyGet() {
        HttpResponse<byte[]> response = client.delete("/v2/_catalog");
        assertError(response, 405, "UNSUPPORTED");
        assertEquals("GET", header(response, "Allow"));
    }
}
