package org.stevedore.ui.pages;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.io.IOException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stevedore.error.RegistryException;
import org.stevedore.model.Digest;
import org.stevedore.model.RepositoryName;
import org.stevedore.ui.session.SessionCodec;

/**
 * The root of the UI: dispatches to a worker (pages read storage), sets the security headers on
 * every answer, turns the path into a page, and refuses every POST whose CSRF token or Origin is
 * not this session's. Routes:
 *
 * <pre>
 *   GET  /ui/                     repositories          GET  /ui/login    form
 *   GET  /ui/r/NAME               repository (tags)     POST /ui/login    log in
 *   GET  /ui/m/NAME@DIGEST        manifest              POST /ui/logout   log out
 *   GET  /ui/static/FILE.HASH.EXT css, js               GET  /ui/delete   confirm; POST: delete
 *   GET  /ui/retention            retention preview (administrators; with governance)
 * </pre>
 */
public final class UiRouter implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(UiRouter.class);
    /** Beside the API's access lines; the path only: queries hold filters, and nothing secret is ever in a URL. */
    private static final Logger ACCESS = LoggerFactory.getLogger("org.stevedore.access");
    /** No inline script or style anywhere: only the hashed files from this origin. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self';"
            + " img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private final Pages pages;
    private final SessionCodec codec;
    private final boolean tls;
    private final boolean accessLogAtInfo;
    private final RepositoriesPage repositories;
    private final RepositoryPage repository;
    private final ManifestPage manifest;
    private final LoginPage login;
    private final DeletePage delete;
    private final RetentionPage retention;

    public UiRouter(Pages pages, SessionCodec codec, boolean tls, boolean accessLogAtInfo) {
        this.pages = pages;
        this.codec = codec;
        this.tls = tls;
        this.accessLogAtInfo = accessLogAtInfo;
        this.repositories = new RepositoriesPage(pages);
        this.repository = new RepositoryPage(pages);
        this.manifest = new ManifestPage(pages);
        this.login = new LoginPage(pages);
        this.delete = new DeletePage(pages);
        this.retention = new RetentionPage(pages);
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (exchange.isInIoThread()) {
            exchange.dispatch(this);
            return;
        }
        long started = System.nanoTime();
        exchange.addExchangeCompleteListener((done, next) -> {
            logAccess(done, started);
            next.proceed();
        });
        HeaderMap headers = exchange.getResponseHeaders();
        headers.put(HttpString.tryFromString("Content-Security-Policy"), CONTENT_SECURITY_POLICY);
        headers.put(HttpString.tryFromString("X-Content-Type-Options"), "nosniff");
        headers.put(HttpString.tryFromString("X-Frame-Options"), "DENY");
        headers.put(HttpString.tryFromString("Referrer-Policy"), "same-origin");
        String path = exchange.getRequestPath();
        if (path.startsWith(StaticAssets.PREFIX) && isGet(exchange)) {
            if (!pages.assets().serve(exchange, path)) notFound(exchange);
            return;
        }
        if (path.equals("/ui")) {
            exchange.setStatusCode(308);
            headers.put(Headers.LOCATION, "/ui/");
            exchange.endExchange();
            return;
        }
        UiRequest request = new UiRequest(exchange, codec, pages, tls);
        exchange.putAttachment(USER, request.user().orElse("-"));
        try {
            route(request, path.substring("/ui".length()));
        } catch (IOException e) {
            LOG.warn("UI page {} failed reading storage: {}", path, e.toString());
            if (!exchange.isResponseStarted()) request.error(503, "Storage unavailable", "Try again in a moment.");
        } catch (RegistryException e) {
            if (!exchange.isResponseStarted()) Guard.notFound(request);
        }
    }

    private void route(UiRequest request, String path) throws IOException {
        HttpServerExchange exchange = request.exchange();
        boolean post = exchange.getRequestMethod().equalToString("POST");
        if (!post && !isGet(exchange)) {
            exchange.getResponseHeaders().put(Headers.ALLOW, "GET, HEAD, POST");
            request.error(405, "Method not allowed", "This page answers GET and POST only.");
            return;
        }
        if (post) {
            Map<String, String> form = request.form();
            if (!sameOrigin(exchange) || !request.csrfValid(form.get("csrf"))) {
                request.error(403, "Form expired", "This form was not sent from this page's session (or cookies are"
                        + " off). Go back, reload and try again.");
                return;
            }
            switch (path) {
                case "/login" -> login.submit(request, form);
                case "/logout" -> login.logout(request);
                case "/delete" -> delete.submit(request, form);
                default -> request.error(404, "Not found", "There is no such page.");
            }
            return;
        }
        if (path.equals("/")) {
            repositories.show(request);
        } else if (path.equals("/login")) {
            login.show(request);
        } else if (path.equals("/delete")) {
            delete.confirm(request);
        } else if (path.equals("/retention")) {
            retention.show(request);
        } else if (path.startsWith("/r/")) {
            repository.show(request, RepositoryName.of(path.substring(3)));
        } else if (path.startsWith("/m/") && path.lastIndexOf('@') > 3) {
            int at = path.lastIndexOf('@');
            manifest.show(request, RepositoryName.of(path.substring(3, at)), Digest.parse(path.substring(at + 1)));
        } else {
            request.error(404, "Not found", "There is no such page.");
        }
    }

    private static final io.undertow.util.AttachmentKey<String> USER = io.undertow.util.AttachmentKey.create(String.class);

    private void logAccess(HttpServerExchange exchange, long started) {
        if (accessLogAtInfo ? !ACCESS.isInfoEnabled() : !ACCESS.isDebugEnabled()) return;
        String user = exchange.getAttachment(USER);
        String line = "{} {} {} {} bytes {} ms user={} ui";
        Object[] values = {exchange.getRequestMethod(), exchange.getRequestPath(), exchange.getStatusCode(),
                exchange.getResponseBytesSent(), (System.nanoTime() - started) / 1_000_000, user == null ? "-" : user};
        if (accessLogAtInfo) ACCESS.info(line, values);
        else ACCESS.debug(line, values);
    }

    /** A browser names the page's origin on every POST; if it does, it must be this host. */
    private boolean sameOrigin(HttpServerExchange exchange) {
        String origin = exchange.getRequestHeaders().getFirst(Headers.ORIGIN);
        if (origin == null) return true;
        return origin.equals(exchange.getRequestScheme() + "://" + exchange.getHostAndPort());
    }

    private static boolean isGet(HttpServerExchange exchange) {
        return exchange.getRequestMethod().equalToString("GET") || exchange.getRequestMethod().equalToString("HEAD");
    }

    private static void notFound(HttpServerExchange exchange) {
        exchange.setStatusCode(404);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
        exchange.getResponseSender().send("not found");
    }
}
