package org.stevedore.ui.pages;

import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.Cookie;
import io.undertow.server.handlers.form.FormData;
import io.undertow.server.handlers.form.FormDataParser;
import io.undertow.server.handlers.form.FormEncodedDataDefinition;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.stevedore.http.CompletedRequest;
import org.stevedore.ui.session.Session;
import org.stevedore.ui.session.SessionCodec;

/**
 * One UI request on a worker thread: its session (from the signed cookie, or a new visitor
 * session, sent back as a cookie), its query and form fields, and the ways to answer.
 */
public final class UiRequest {
    public static final String COOKIE = "stevedore_ui";
    /** Forms are a few short fields; anything larger is refused unread. */
    private static final long MAX_FORM_BYTES = 16 * 1024;

    private final HttpServerExchange exchange;
    private final SessionCodec codec;
    private final Pages pages;
    private final boolean secure;
    private Session session;

    UiRequest(HttpServerExchange exchange, SessionCodec codec, Pages pages, boolean secure) {
        this.exchange = exchange;
        this.codec = codec;
        this.pages = pages;
        this.secure = secure;
        Cookie cookie = exchange.getRequestCookie(COOKIE);
        Optional<Session> presented = cookie == null ? Optional.empty() : codec.decode(cookie.getValue());
        if (presented.isPresent()) {
            this.session = presented.get();
        } else {
            startSession(Optional.empty());
        }
    }

    HttpServerExchange exchange() {
        return exchange;
    }

    Optional<String> user() {
        return session.user();
    }

    /** Replaces the session (log in, log out) with a new one, new nonce included, and sends its cookie. */
    void startSession(Optional<String> user) {
        session = codec.create(user);
        exchange.getResponseHeaders().put(Headers.SET_COOKIE, COOKIE + "=" + codec.encode(session)
                + "; Path=/ui; Max-Age=" + codec.lifetime().toSeconds() + "; HttpOnly; SameSite=Strict"
                + (secure ? "; Secure" : ""));
    }

    /** Whether {@code presented} is this session's CSRF token. */
    boolean csrfValid(String presented) {
        return codec.isCsrfToken(session, presented);
    }

    /** The query parameter, or "" when absent. */
    String query(String name) {
        Deque<String> values = exchange.getQueryParameters().get(name);
        return values == null || values.isEmpty() ? "" : values.getFirst();
    }

    /**
     * The url-encoded form fields of a POST, each its first value; empty when the body is too
     * large or unreadable (the CSRF check then refuses the request).
     */
    Map<String, String> form() {
        try {
            return readForm();
        } catch (IOException | RuntimeException unreadable) {
            return Map.of();
        }
    }

    private Map<String, String> readForm() throws IOException {
        exchange.setMaxEntitySize(MAX_FORM_BYTES);
        exchange.startBlocking();
        Map<String, String> fields = new HashMap<>();
        try (FormDataParser parser = new FormEncodedDataDefinition().setDefaultEncoding("UTF-8").create(exchange)) {
            if (parser == null) return fields;
            FormData data = parser.parseBlocking();
            for (String name : data) {
                FormData.FormValue value = data.getFirst(name);
                if (value != null && !value.isFileItem()) fields.put(name, value.getValue());
            }
        }
        return fields;
    }

    /** Where the request came from, for the events and access line of what it does to content. */
    CompletedRequest.ClientInfo client() {
        String host = exchange.getRequestHeaders().getFirst(Headers.HOST);
        String agent = exchange.getRequestHeaders().getFirst(Headers.USER_AGENT);
        return new CompletedRequest.ClientInfo("", String.valueOf(exchange.getSourceAddress()),
                host == null ? "" : host, agent == null ? "" : agent);
    }

    /** {@code host[:port]} as the browser addressed this server, for pull commands. */
    String host() {
        return exchange.getHostAndPort();
    }

    /** The fields every page's layout needs, plus the page title. */
    Map<String, Object> model(String title) {
        Map<String, Object> model = new HashMap<>();
        model.put("title", title);
        model.put("css", pages.assets().css());
        model.put("js", pages.assets().js());
        model.put("user", session.user().orElse(null));
        model.put("authEnabled", pages.access().authEnabled());
        model.put("csrf", codec.csrfToken(session));
        model.put("retentionNav", pages.governance().isPresent() && pages.access().mayAdminister(session.user()));
        return model;
    }

    void html(int status, String template, Map<String, Object> model) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/html; charset=utf-8");
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        String body = pages.templates().render(template, model);
        if (exchange.getRequestMethod().equalToString("HEAD")) {
            exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, body.getBytes(StandardCharsets.UTF_8).length);
            exchange.endExchange();
        } else {
            exchange.getResponseSender().send(body, StandardCharsets.UTF_8);
        }
    }

    /** A page saying what went wrong, with {@code status}. */
    void error(int status, String title, String message) {
        Map<String, Object> model = model(title);
        model.put("message", message);
        html(status, "error", model);
    }

    /** 303 to a path of this UI (never to a URL from the request). */
    void redirect(String path) {
        exchange.setStatusCode(StatusCodes.SEE_OTHER);
        exchange.getResponseHeaders().put(Headers.LOCATION, path);
        exchange.endExchange();
    }

    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
