package org.stevedore.policies;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.stevedore.auth.Access;
import org.stevedore.auth.Action;
import org.stevedore.error.ErrorCode;
import org.stevedore.http.ApiExtension;
import org.stevedore.model.RepositoryName;
import org.stevedore.service.RegistryService;

/**
 * The policies' HTTP API, JSON under {@code /api/v1/}:
 * <ul>
 *   <li>{@code GET /api/v1/usage}: every repository's usage (admin);</li>
 *   <li>{@code GET /api/v1/repositories/<name>/usage}: one repository's (pull on it);</li>
 *   <li>{@code DELETE /api/v1/repositories/<name>[?force=true]}: deletes it (delete on it; admin too with force);</li>
 *   <li>{@code GET /api/v1/retention}: the retention preview; {@code POST}: a run (admin).</li>
 * </ul>
 * Admin is the access {@code registry:admin:*}, as a token scope or access rule would name it.
 */
public final class PoliciesApi implements ApiExtension {
    /** What the admin routes need. */
    public static final Access ADMIN = new Access(Access.REGISTRY, "admin", Action.ALL);
    private static final String REPOSITORIES = PREFIX + "repositories/";

    private final RegistryService service;
    private final Policies policies;
    private final Clock clock;

    public PoliciesApi(RegistryService service, Policies policies, Clock clock) {
        this.service = service;
        this.policies = policies;
        this.clock = clock;
    }

    /** The routes a request may take. */
    private sealed interface Route {
        record AllUsage() implements Route { }
        record Usage(RepositoryName name) implements Route { }
        record DeleteRepository(RepositoryName name, boolean force) implements Route { }
        record Retention(boolean run) implements Route { }
    }

    @Override
    public List<Access> needed(HttpServerExchange exchange) {
        Route route = route(exchange);
        if (route instanceof Route.Usage usage) return List.of(Access.repository(usage.name(), Action.PULL));
        if (route instanceof Route.DeleteRepository delete) {
            Access access = Access.repository(delete.name(), Action.DELETE);
            return delete.force() ? List.of(access, ADMIN) : List.of(access);
        }
        return List.of(ADMIN);
    }

    @Override
    public void handle(HttpServerExchange exchange) throws Exception {
        Route route = route(exchange);
        if (route instanceof Route.AllUsage) {
            List<Object> repositories = new ArrayList<>();
            for (RepositoryUsage usage : RepositoryUsage.all(service)) repositories.add(usage(usage, policies));
            send(exchange, 200, Map.of("repositories", repositories));
        } else if (route instanceof Route.Usage usage) {
            if (!org.stevedore.service.RepositoryContents.repositories(service.storage()).contains(usage.name())) {
                throw ErrorCode.NAME_UNKNOWN.withDetail(usage.name().value());
            }
            send(exchange, 200, usage(RepositoryUsage.of(service, usage.name()), policies));
        } else if (route instanceof Route.DeleteRepository delete) {
            RepositoryDeletion.Outcome outcome = RepositoryDeletion.delete(service, delete.name(),
                    policies.immutableTags(), delete.force());
            send(exchange, 200, Map.of("name", outcome.name().value(), "tagsDeleted", outcome.tags(),
                    "manifestsDeleted", outcome.manifests()));
        } else {
            retention(exchange, ((Route.Retention) route).run());
        }
    }

    private void retention(HttpServerExchange exchange, boolean run) throws Exception {
        if (policies.retention().rules().isEmpty()) {
            throw ErrorCode.UNSUPPORTED.withDetail("no retention rules are configured (policies.retention.rules)");
        }
        Retention retention = new Retention(service, policies, clock);
        List<RetentionPlan> plans = retention.plan();
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("dryRun", !run);
        document.putAll(RetentionOutput.document(plans));
        if (run) {
            Retention.Outcome outcome = retention.apply(plans, line -> { });
            document.put("outcome", Map.of("tagsDeleted", outcome.tagsDeleted(),
                    "manifestsDeleted", outcome.manifestsDeleted(), "skipped", outcome.skipped()));
        }
        send(exchange, 200, document);
    }

    private static Route route(HttpServerExchange exchange) {
        String path = exchange.getRequestPath();
        HttpString method = exchange.getRequestMethod();
        boolean read = method.equals(Methods.GET) || method.equals(Methods.HEAD);
        if (path.equals(PREFIX + "usage")) {
            if (!read) throw notAllowed(method, "GET");
            return new Route.AllUsage();
        }
        if (path.equals(PREFIX + "retention")) {
            if (!read && !method.equals(Methods.POST)) throw notAllowed(method, "GET, POST");
            return new Route.Retention(method.equals(Methods.POST));
        }
        if (path.startsWith(REPOSITORIES) && path.endsWith("/usage")) {
            if (!read) throw notAllowed(method, "GET");
            return new Route.Usage(name(path.substring(REPOSITORIES.length(), path.length() - "/usage".length())));
        }
        if (path.startsWith(REPOSITORIES) && path.length() > REPOSITORIES.length()) {
            if (!method.equals(Methods.DELETE)) throw notAllowed(method, "DELETE");
            String force = exchange.getQueryParameters().containsKey("force")
                    ? exchange.getQueryParameters().get("force").peekFirst() : "false";
            return new Route.DeleteRepository(name(path.substring(REPOSITORIES.length())), "true".equals(force));
        }
        throw ErrorCode.NOT_FOUND.withDetail(path);
    }

    private static RepositoryName name(String text) {
        try {
            return RepositoryName.of(text);
        } catch (RuntimeException e) {
            throw ErrorCode.NAME_INVALID.withDetail(text);
        }
    }

    private static RuntimeException notAllowed(HttpString method, String allowed) {
        return ErrorCode.METHOD_UNKNOWN.withDetail(method + " is not allowed here; " + allowed + " is");
    }

    private static Map<String, Object> usage(RepositoryUsage usage, Policies policies) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("name", usage.name().value());
        entry.put("bytes", usage.bytes());
        entry.put("blobs", usage.blobs());
        entry.put("tags", usage.tags());
        entry.put("manifests", usage.manifests());
        java.util.OptionalLong quota = policies.quotaFor(usage.name());
        entry.put("quota", quota.isPresent() ? quota.getAsLong() : null);
        return entry;
    }

    private static void send(HttpServerExchange exchange, int status, Object document) throws JsonProcessingException {
        byte[] body = Json.MAPPER.writeValueAsBytes(document);
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, body.length);
        if (exchange.getRequestMethod().equals(Methods.HEAD)) return;
        exchange.getResponseSender().send(ByteBuffer.wrap(body));
    }

    /** Built at the first answer, not when the server starts, which needs no ObjectMapper before it. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }
}
