package org.stevedore.auth.token;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.stevedore.auth.Action;
import org.stevedore.auth.htpasswd.BasicCredentials;
import org.stevedore.auth.htpasswd.HtpasswdAuthenticator;
import org.stevedore.auth.rules.AccessRules;

/**
 * A built-in token server: {@code GET <realm>?service=…&scope=…} with Basic credentials checked
 * against htpasswd answers {@code {"token","access_token","expires_in","issued_at"}}, granting of
 * the requested scopes what the access rules allow (as docker/podman expect from distribution's
 * token specification). Without credentials the token grants what anonymous users may do, often
 * nothing; wrong credentials are 401. Runs its (blocking) bcrypt check on a worker thread.
 */
public final class TokenEndpoint implements HttpHandler {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TokenIssuer issuer;
    private final HtpasswdAuthenticator authenticator;
    private final AccessRules rules;
    private final String service;
    private final String challenge;

    public TokenEndpoint(TokenIssuer issuer, HtpasswdAuthenticator authenticator, AccessRules rules, String service) {
        this.issuer = issuer;
        this.authenticator = authenticator;
        this.rules = rules;
        this.service = service;
        this.challenge = "Basic realm=\"" + service.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        if (exchange.isInIoThread()) {
            exchange.dispatch(this);
            return;
        }
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        if (!exchange.getRequestMethod().equals(Methods.GET)) {
            exchange.getResponseHeaders().put(Headers.ALLOW, "GET");
            send(exchange, 405, error("UNSUPPORTED", "only GET is supported"));
            return;
        }
        Deque<String> services = exchange.getQueryParameters().get("service");
        if (services != null && !services.isEmpty() && !services.getFirst().equals(service)) {
            send(exchange, 400, error("DENIED", "unknown service"));
            return;
        }
        Optional<String> user = Optional.empty();
        String header = exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
        if (header != null) {
            Optional<BasicCredentials> credentials = BasicCredentials.parse(header);
            if (credentials.isEmpty()
                    || !authenticator.authenticate(credentials.get().user(), credentials.get().password())) {
                exchange.getResponseHeaders().put(Headers.WWW_AUTHENTICATE, challenge);
                send(exchange, 401, error("UNAUTHORIZED", "invalid user name or password"));
                return;
            }
            user = Optional.of(credentials.get().user());
        }
        TokenIssuer.IssuedToken token = issuer.issue(user, granted(user, requested(exchange)));
        ObjectNode body = JSON.createObjectNode()
                .put("token", token.token())
                .put("access_token", token.token())
                .put("expires_in", token.expiresIn().toSeconds())
                .put("issued_at", token.issuedAt().toString());
        send(exchange, 200, body);
    }

    private static List<TokenAccess> requested(HttpServerExchange exchange) {
        List<TokenAccess> scopes = new ArrayList<>();
        Deque<String> values = exchange.getQueryParameters().get("scope");
        if (values != null) {
            for (String value : values) scopes.addAll(Scopes.parse(value));
        }
        return scopes;
    }

    private List<TokenAccess> granted(Optional<String> user, List<TokenAccess> requested) {
        List<TokenAccess> granted = new ArrayList<>();
        for (TokenAccess scope : requested) {
            Set<Action> wanted = EnumSet.noneOf(Action.class);
            for (String name : scope.actions()) Action.fromScopeName(name).ifPresent(wanted::add);
            Set<Action> allowed = rules.allowedActions(user, scope.type(), scope.name(), wanted);
            if (!allowed.isEmpty()) {
                granted.add(new TokenAccess(scope.type(), scope.name(),
                        allowed.stream().map(Action::scopeName).collect(Collectors.toSet())));
            }
        }
        return granted;
    }

    private static ObjectNode error(String code, String message) {
        ObjectNode body = JSON.createObjectNode();
        body.putArray("errors").addObject().put("code", code).put("message", message);
        return body;
    }

    private static void send(HttpServerExchange exchange, int status, ObjectNode body) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        try {
            exchange.getResponseSender().send(JSON.writeValueAsString(body), StandardCharsets.UTF_8);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }
}
