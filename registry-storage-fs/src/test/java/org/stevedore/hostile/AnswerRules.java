package org.stevedore.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The rules every answer to hostile input must keep, and the tally for the {@code FIGURES:} line:
 * never a 5xx; a 4xx from the registry carries the OCI error JSON; the only exceptions are the bare
 * 400 Undertow writes for requests it cannot parse (see {@link HostileHttpTest}) and the plain-text
 * 404 for a path that is no route, as distribution answers it. Thread-safe.
 */
final class AnswerRules {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AtomicInteger tried = new AtomicInteger();
    private final AtomicInteger serverErrors = new AtomicInteger();
    private final AtomicInteger ociJson = new AtomicInteger();
    private final AtomicInteger bare400 = new AtomicInteger();
    private final AtomicInteger noRoute = new AtomicInteger();
    private final AtomicInteger closed = new AtomicInteger();
    private final AtomicInteger accepted = new AtomicInteger();

    /** Checks one answer and counts it; returns it for further checks. */
    RawHttp.Answer check(String what, RawHttp.Answer answer) {
        tried.incrementAndGet();
        int status = answer.status();
        if (status >= 500) {
            serverErrors.incrementAndGet();
            throw new AssertionError(what + " answered " + status + ": " + answer.text());
        }
        if (status == -1) {
            closed.incrementAndGet();
        } else if (status < 400) {
            accepted.incrementAndGet();
        } else if (status == 400 && answer.body().length == 0 && answer.header("Docker-Distribution-API-Version") == null) {
            bare400.incrementAndGet();
        } else if (status == 404 && "text/plain; charset=utf-8".equals(answer.header("Content-Type"))) {
            if (answer.body().length > 0) assertEquals("404 page not found\n", answer.text(), what); // HEAD: none
            noRoute.incrementAndGet();
        } else if (answer.body().length == 0 && "application/json".equals(answer.header("Content-Type"))
                && !"0".equals(answer.header("Content-Length")) && answer.header("Content-Length") != null) {
            ociJson.incrementAndGet(); // a HEAD answer: the error JSON's headers, no body (RFC 9110)
        } else {
            assertOciError(what, answer);
            ociJson.incrementAndGet();
        }
        return answer;
    }

    /** Counts an input whose outcome the caller asserted itself (a connection that must be closed). */
    void countTried() {
        tried.incrementAndGet();
    }

    int serverErrors() {
        return serverErrors.get();
    }

    String figures() {
        return String.format("FIGURES: hostile HTTP inputs tried %d, 5xx answers %d (OCI JSON errors %d, bare Undertow"
                + " 400s %d, plain no-route 404s %d, closed without answer %d, accepted 2xx/3xx %d)", tried.get(),
                serverErrors.get(), ociJson.get(), bare400.get(), noRoute.get(), closed.get(), accepted.get());
    }

    static String code(RawHttp.Answer answer) {
        try {
            return JSON.readTree(answer.body()).path("errors").path(0).path("code").asText();
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + answer.text(), e);
        }
    }

    private static void assertOciError(String what, RawHttp.Answer answer) {
        try {
            JsonNode error = JSON.readTree(answer.body()).path("errors").path(0);
            assertTrue(error.path("code").isTextual() && error.path("message").isTextual(),
                    () -> what + ": not the OCI error JSON: " + answer.status() + " " + answer.text());
            assertEquals("application/json", answer.header("Content-Type"), what);
        } catch (IOException e) {
            throw new AssertionError(what + ": answered " + answer.status() + " without JSON: " + answer.text(), e);
        }
    }
}
