package org.stevedore.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.stevedore.http.RegistryClient.sha256;
import static org.stevedore.http.RegistryClient.utf8;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.stevedore.registry.Registry;

/**
 * Every number the registry parses from a header or the query ({@code Content-Length},
 * {@code Content-Range}, {@code Range}, {@code n}) and the digest-valued parameters
 * ({@code digest}, {@code mount}), fed the same table of hostile values (past {@code long},
 * negative, empty, non-ASCII digits, signs, exponents, spaces) on every route that reads them,
 * over raw HTTP against a running registry. A bad value is a 400 with the OCI error JSON (or what
 * the spec asks for instead, said per row); never a 5xx, never a stack trace in the log. The one
 * exception is a {@code Content-Length} Undertow's own parser refuses before any handler runs: its
 * bare 400 and a closed connection (README, Limits); lengths it lets through get the JSON.
 */
class HeaderNumbersTest {
    /** Values no parser may take as a number; each is tried in every place. */
    static final List<String> HOSTILE = List.of(
            "99999999999999999999999", "9223372036854775808", "18446744073709551616", "-1", "-9223372036854775809",
            "", " ", "\u0661\u0662", "\uff11\uff12", "1\u0663", "\u00b2", "+1", "1e3", "0x10", "1.5", "1,2", "1 2",
            "NaN", "\u221e", "0-1", "%31");

    private static Registry registry;
    private static RegistryClient client;
    private static String blobDigest;
    private static LogTap log;
    private static final AtomicInteger JSON_ANSWERS = new AtomicInteger();
    private static final AtomicInteger BARE_ANSWERS = new AtomicInteger();

    @BeforeAll
    static void start() {
        log = new LogTap();
        registry = TestRegistries.builder().start();
        client = new RegistryClient(registry);
        blobDigest = client.pushBlob("numbers/repo", utf8("a blob for range reads"));
        client.pushImage("numbers/repo", "latest", "numbers");
    }

    @AfterAll
    static void stop() {
        registry.close();
        log.close();
    }

    /** One place a value goes: a label and the raw request it makes for a value. */
    record Place(String label, Function<String, String> request, Expectation expected) {
        @Override
        public String toString() {
            return label;
        }
    }

    /** What a refused value earns in one place. */
    enum Expectation { BAD_REQUEST_JSON, BAD_REQUEST_JSON_OR_BARE, WHOLE_BLOB, UPLOAD_SESSION, BAD_REQUEST_JSON_OR_ABSENT }

    static Stream<Arguments> placesAndValues() {
        List<Place> places = new ArrayList<>();
        for (String[] route : new String[][] {{"PATCH", "upload"}, {"PUT", "upload?digest=" + sha256(new byte[0])},
                {"POST", "/v2/numbers/repo/blobs/uploads/?digest=" + sha256(new byte[0])},
                {"POST", "/v2/numbers/repo/blobs/uploads/"}, {"PUT", "/v2/numbers/repo/manifests/latest"},
                {"GET", "/v2/"}, {"GET", "/v2/numbers/repo/tags/list"}, {"DELETE", "upload"}}) {
            places.add(new Place("Content-Length on " + route[0] + " " + route[1],
                    value -> head(route[0], route[1], "Content-Length: " + value), Expectation.BAD_REQUEST_JSON_OR_BARE));
        }
        places.add(new Place("Content-Range start on PATCH",
                value -> head("PATCH", "upload", "Content-Range: " + value + "-3", "Content-Length: 0"),
                Expectation.BAD_REQUEST_JSON));
        places.add(new Place("Content-Range end on PATCH",
                value -> head("PATCH", "upload", "Content-Range: 0-" + value, "Content-Length: 0"),
                Expectation.BAD_REQUEST_JSON));
        places.add(new Place("Content-Range bytes form on PATCH",
                value -> head("PATCH", "upload", "Content-Range: bytes 0-" + value + "/*", "Content-Length: 0"),
                Expectation.BAD_REQUEST_JSON));
        // RFC 9110 lets a server ignore a Range it cannot parse: the whole blob is the answer.
        places.add(new Place("Range start on blob GET", value -> head("GET", "/v2/numbers/repo/blobs/" + blobDigest,
                "Range: bytes=" + value + "-3"), Expectation.WHOLE_BLOB));
        places.add(new Place("Range end on blob GET", value -> head("GET", "/v2/numbers/repo/blobs/" + blobDigest,
                "Range: bytes=0-" + value), Expectation.WHOLE_BLOB));
        places.add(new Place("Range suffix on blob HEAD", value -> head("HEAD", "/v2/numbers/repo/blobs/" + blobDigest,
                "Range: bytes=-" + value), Expectation.WHOLE_BLOB));
        for (String path : new String[] {"/v2/numbers/repo/tags/list", "/v2/_catalog",
                "/v2/numbers/repo/referrers/" + blobDigest}) {
            // An empty n is no n, as in distribution.
            places.add(new Place("n on " + path, value -> head("GET", path + "?n=" + query(value)),
                    Expectation.BAD_REQUEST_JSON_OR_ABSENT));
            places.add(new Place("n after last on " + path, value -> head("GET", path + "?last=a&n=" + query(value)),
                    Expectation.BAD_REQUEST_JSON_OR_ABSENT));
        }
        places.add(new Place("digest on upload PUT", value -> head("PUT", "upload?digest=" + query(value),
                "Content-Length: 0"), Expectation.BAD_REQUEST_JSON));
        places.add(new Place("digest on monolithic POST", value -> head("POST",
                "/v2/numbers/repo/blobs/uploads/?digest=" + query(value), "Content-Length: 0"), Expectation.BAD_REQUEST_JSON));
        places.add(new Place("digest algorithm on upload PUT", value -> head("PUT", "upload?digest=sha256%3A"
                + query(value), "Content-Length: 0"), Expectation.BAD_REQUEST_JSON));
        // A mount that cannot be done falls back to a new upload session (spec: SHOULD 202).
        places.add(new Place("mount on POST", value -> head("POST", "/v2/numbers/repo/blobs/uploads/?mount="
                + query(value) + "&from=numbers/other", "Content-Length: 0"), Expectation.UPLOAD_SESSION));
        return places.stream().flatMap(place -> HOSTILE.stream().map(value -> Arguments.of(place, value)));
    }

    @ParameterizedTest(name = "{0} = ''{1}''")
    @MethodSource("placesAndValues")
    void hostileNumberIsAClientErrorWithTheErrorJson(Place place, String value) {
        String request = place.request().apply(value);
        RegistryClient.RawResponse answer = client.raw(request.getBytes(StandardCharsets.UTF_8), new byte[0], false);
        String what = place + " = '" + value + "': " + answer.status() + " " + new String(answer.body(), StandardCharsets.UTF_8);
        assertTrue(answer.status() > 0 && answer.status() < 500, what);
        switch (place.expected()) {
            case BAD_REQUEST_JSON -> assertBadRequestJson(answer, what);
            case BAD_REQUEST_JSON_OR_BARE -> {
                if (answer.headers().containsKey("Content-Type")) {
                    assertBadRequestJson(answer, what);
                    JSON_ANSWERS.incrementAndGet();
                } else {
                    assertEquals(400, answer.status(), what);
                    assertEquals(0, answer.body().length, what);
                    assertEquals("close", answer.header("Connection"), what);
                    BARE_ANSWERS.incrementAndGet();
                }
            }
            case BAD_REQUEST_JSON_OR_ABSENT -> {
                if (value.isBlank() && answer.status() == 200) return; // no n at all
                assertBadRequestJson(answer, what);
            }
            case WHOLE_BLOB -> {
                // Blank leaves a range such as "bytes=0-", which is valid: whole or partial then.
                if (!(value.isBlank() && answer.status() == 206)) assertEquals(200, answer.status(), what);
            }
            case UPLOAD_SESSION -> assertEquals(202, answer.status(), what);
            default -> throw new AssertionError(place.expected());
        }
    }

    @AfterAll
    static void report() {
        System.out.println("FIGURES: hostile Content-Length values: " + JSON_ANSWERS.get() + " answered 400 with the"
                + " error JSON, " + BARE_ANSWERS.get() + " refused by Undertow's parser with its bare 400");
    }

    @Test
    void noStackTraceWasLogged() {
        // Runs the whole table once more in this JVM, then reads what was logged meanwhile.
        placesAndValues().forEach(arguments -> {
            Place place = (Place) arguments.get()[0];
            client.raw(place.request().apply((String) arguments.get()[1]).getBytes(StandardCharsets.UTF_8), new byte[0], false);
        });
        for (String line : log.lines()) {
            assertTrue(!line.startsWith("\tat ") && !line.contains("Exception") && !line.contains(" ERROR "),
                    () -> "logged: " + line);
        }
    }

    private static void assertBadRequestJson(RegistryClient.RawResponse answer, String what) {
        assertEquals(400, answer.status(), what);
        assertTrue(answer.header("Content-Type").startsWith("application/json"), what);
        assertTrue(RegistryClient.json(answer.body()).path("errors").path(0).path("message").isTextual(), what);
    }

    private static String query(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** A raw request head; {@code upload} in the path stands for a fresh upload session's path. */
    private static String head(String method, String path, String... headers) {
        // Locations carry no query, so the path's own query can follow.
        String target = path.startsWith("upload") ? client.startUpload("numbers/repo") + path.substring("upload".length())
                : path;
        StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\n" + client.hostHeader());
        for (String header : headers) head.append(header).append("\r\n");
        return head.append("Connection: close\r\n\r\n").toString();
    }
}
