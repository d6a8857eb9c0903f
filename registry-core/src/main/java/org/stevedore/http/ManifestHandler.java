package org.stevedore.http;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.Optional;
import org.stevedore.error.ErrorCode;
import org.stevedore.model.Manifest;
import org.stevedore.model.MediaType;
import org.stevedore.service.ContentSource;
import org.stevedore.service.ManifestService;
import org.stevedore.service.StoredManifest;

/** {@code GET}, {@code HEAD}, {@code PUT} and {@code DELETE} of {@code /v2/<name>/manifests/<reference>}. */
final class ManifestHandler {
    private final ManifestService manifests;
    private final ContentSource source;
    private final long idleMillis;

    ManifestHandler(ManifestService manifests, ContentSource source, long idleMillis) {
        this.manifests = manifests;
        this.source = source;
        this.idleMillis = idleMillis;
    }

    void handle(HttpServerExchange exchange, V2Route.Manifest route) throws IOException {
        var method = exchange.getRequestMethod();
        if (method.equals(Methods.PUT)) {
            put(exchange, route);
        } else if (method.equals(Methods.DELETE)) {
            manifests.delete(route.name(), route.reference());
            exchange.setStatusCode(StatusCodes.ACCEPTED);
            exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, 0);
        } else {
            get(exchange, route);
        }
    }

    private void get(HttpServerExchange exchange, V2Route.Manifest route) throws IOException {
        if (source.covers(route.name())) source.refreshManifest(route.name(), route.reference());
        StoredManifest manifest = manifests.get(route.name(), route.reference());
        if (!accepts(exchange.getRequestHeaders().get(Headers.ACCEPT), manifest.mediaType())) {
            throw ErrorCode.MANIFEST_UNKNOWN.withDetail("the manifest is " + manifest.mediaType()
                    + ", which the Accept header does not allow");
        }
        var headers = exchange.getResponseHeaders();
        headers.put(Headers.CONTENT_TYPE, manifest.mediaType().value());
        headers.put(Headers.CONTENT_LENGTH, manifest.bytes().length);
        headers.put(ApiHeaders.CONTENT_DIGEST, manifest.digest().toString());
        headers.put(Headers.ETAG, "\"" + manifest.digest() + "\"");
        if (exchange.getRequestMethod().equals(Methods.HEAD)) return;
        exchange.getResponseSender().send(ByteBuffer.wrap(manifest.bytes()));
    }

    private void put(HttpServerExchange exchange, V2Route.Manifest route) throws IOException {
        int max = manifests.maxManifestBytes();
        if (ContentLength.of(exchange).orElse(0) > max) {
            throw ErrorCode.SIZE_TOO_LARGE.withDetail("manifest larger than " + max + " bytes");
        }
        byte[] bytes = new RequestBody(exchange, idleMillis).readAll(max);
        String contentType = exchange.getRequestHeaders().getFirst(Headers.CONTENT_TYPE);
        Optional<MediaType> mediaType = Optional.empty();
        if (contentType != null && !contentType.isBlank()) {
            try {
                mediaType = Optional.of(MediaType.parse(contentType));
            } catch (RuntimeException unparseable) {
                mediaType = Optional.empty();
            }
        }
        Manifest manifest = manifests.put(route.name(), route.reference(), bytes, mediaType);
        exchange.setStatusCode(StatusCodes.CREATED);
        var headers = exchange.getResponseHeaders();
        headers.put(Headers.LOCATION, "/v2/" + route.name() + "/manifests/" + manifest.digest());
        headers.put(ApiHeaders.CONTENT_DIGEST, manifest.digest().toString());
        manifest.subject().ifPresent(subject -> headers.put(ApiHeaders.OCI_SUBJECT, subject.digest().toString()));
        headers.put(Headers.CONTENT_LENGTH, 0);
    }

    /**
     * Whether the client accepts {@code type}. No {@code Accept} header, a wildcard, or the type
     * itself accept it. A client listing only other manifest types gets a 404, as from the
     * reference registry, rather than bytes it cannot parse.
     */
    static boolean accepts(HeaderValues accept, MediaType type) {
        if (accept == null || accept.isEmpty()) return true;
        for (String header : accept) {
            for (String item : header.split(",")) {
                int semicolon = item.indexOf(';');
                String value = (semicolon < 0 ? item : item.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
                if (value.equals("*/*") || value.equals("application/*") || value.equals(type.value())) return true;
                if (value.equals("application/json") && !type.isManifest()) return true;
            }
        }
        return false;
    }
}
