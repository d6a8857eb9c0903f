package org.stevedore.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** A cookie-keeping HTTP client for the UI that, like a browser with JS off, reads forms' CSRF tokens. */
final class UiClient {
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final URI base;
    private Optional<String> cookie = Optional.empty();

    UiClient(URI base) {
        this.base = base;
    }

    HttpResponse<String> get(String path) throws Exception {
        return keepCookie(http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString()));
    }

    HttpResponse<String> post(String path, Map<String, String> form, Map<String, String> headers) throws Exception {
        String body = form.entrySet().stream().map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder request = request(path).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return keepCookie(http.send(request.build(), HttpResponse.BodyHandlers.ofString()));
    }

    /** Logs in through the form; asserts it worked. */
    void logIn(String user, String password) throws Exception {
        String token = csrfOf(get("/ui/login").body());
        HttpResponse<String> response = post("/ui/login", Map.of("csrf", token, "username", user, "password", password),
                Map.of());
        assertEquals(303, response.statusCode(), response.body());
    }

    /** The CSRF token of the first form on the page. */
    static String csrfOf(String html) {
        Matcher matcher = CSRF.matcher(html);
        if (!matcher.find()) throw new AssertionError("no CSRF token in page: " + html);
        return matcher.group(1);
    }

    Optional<String> cookie() {
        return cookie;
    }

    void cookie(String value) {
        cookie = Optional.of(value);
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path));
        cookie.ifPresent(c -> request.header("Cookie", c));
        return request;
    }

    private HttpResponse<String> keepCookie(HttpResponse<String> response) {
        response.headers().firstValue("Set-Cookie").ifPresent(set -> cookie = Optional.of(set.substring(0, set.indexOf(';'))));
        return response;
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
