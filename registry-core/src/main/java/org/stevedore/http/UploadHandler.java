package org.stevedore.http;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;
import java.io.IOException;
import java.nio.channels.ReadableByteChannel;
import java.util.Deque;
import java.util.Optional;
import java.util.OptionalLong;
import org.stevedore.error.ErrorCode;
import org.stevedore.error.RegistryException;
import org.stevedore.model.Digest;
import org.stevedore.model.RepositoryName;
import org.stevedore.service.BlobInfo;
import org.stevedore.service.BlobService;
import org.stevedore.service.UploadService;
import org.stevedore.service.UploadSession;

/**
 * Blob uploads: {@code POST /v2/<name>/blobs/uploads/} (start, monolithic with {@code ?digest=},
 * or mount with {@code ?mount=&from=}) and {@code GET}, {@code PATCH}, {@code PUT},
 * {@code DELETE} of {@code /v2/<name>/blobs/uploads/<id>}.
 */
final class UploadHandler {
    private final UploadService uploads;
    private final BlobService blobs;
    private final long idleMillis;

    UploadHandler(UploadService uploads, BlobService blobs, long idleMillis) {
        this.uploads = uploads;
        this.blobs = blobs;
        this.idleMillis = idleMillis;
    }

    void start(HttpServerExchange exchange, V2Route.UploadStart route) throws IOException {
        RepositoryName name = route.name();
        Optional<String> mount = query(exchange, "mount");
        // A mount that cannot be done, malformed arguments included, falls back to an upload
        // session (distribution spec, "Mounting a blob from another repository": SHOULD 202).
        Optional<Digest> mountDigest = mount.flatMap(UploadHandler::digestOrEmpty);
        if (mountDigest.isPresent()) {
            Digest digest = mountDigest.get();
            Optional<RepositoryName> from = query(exchange, "from").flatMap(UploadHandler::repositoryOrEmpty);
            boolean fromGivenButInvalid = query(exchange, "from").isPresent() && from.isEmpty();
            Optional<BlobInfo> mounted = fromGivenButInvalid ? Optional.empty() : blobs.mount(name, digest, from);
            if (mounted.isPresent()) {
                created(exchange, name, digest);
                return;
            }
        }
        Optional<String> digest = query(exchange, "digest");
        if (digest.isPresent()) {
            // Parsed before any session exists: the client never learns this session's id, so
            // nothing may be left behind when the request fails.
            Digest expected = Digest.parse(digest.get());
            BlobInfo blob = uploads.uploadWhole(name, expected, body(exchange), contentLength(exchange));
            created(exchange, name, blob.digest());
            return;
        }
        accepted(exchange, uploads.start(name));
    }

    void handle(HttpServerExchange exchange, V2Route.Upload route) throws IOException {
        var method = exchange.getRequestMethod();
        if (method.equals(Methods.GET)) {
            UploadSession session = uploads.status(route.name(), route.id());
            exchange.setStatusCode(StatusCodes.NO_CONTENT);
            progressHeaders(exchange, session);
        } else if (method.equals(Methods.PATCH)) {
            patch(exchange, route);
        } else if (method.equals(Methods.PUT)) {
            put(exchange, route);
        } else {
            uploads.cancel(route.name(), route.id());
            exchange.setStatusCode(StatusCodes.NO_CONTENT);
        }
    }

    private void patch(HttpServerExchange exchange, V2Route.Upload route) throws IOException {
        String rangeHeader = exchange.getRequestHeaders().getFirst(Headers.CONTENT_RANGE);
        OptionalLong length = contentLength(exchange);
        OptionalLong start = OptionalLong.empty();
        if (rangeHeader != null) {
            ContentRange range = ContentRange.parse(rangeHeader);
            if (length.isPresent() && length.getAsLong() != range.length()) {
                throw ErrorCode.RANGE_INVALID.withDetail("Content-Range covers " + range.length()
                        + " bytes but Content-Length is " + length.getAsLong());
            }
            start = OptionalLong.of(range.start());
            length = OptionalLong.of(range.length());
        }
        UploadSession session = uploads.append(route.name(), route.id(), body(exchange), start, length);
        accepted(exchange, session);
    }

    private void put(HttpServerExchange exchange, V2Route.Upload route) throws IOException {
        Digest expected = Digest.parse(query(exchange, "digest")
                .orElseThrow(() -> ErrorCode.DIGEST_INVALID.withDetail("the digest query parameter is required")));
        OptionalLong length = contentLength(exchange);
        boolean hasBody = length.isEmpty() ? exchange.isRequestChannelAvailable() && isChunked(exchange)
                : length.getAsLong() > 0;
        BlobInfo blob = uploads.complete(route.name(), route.id(), expected,
                hasBody ? Optional.of(body(exchange)) : Optional.empty(), length);
        created(exchange, route.name(), blob.digest());
    }

    private ReadableByteChannel body(HttpServerExchange exchange) {
        return new RequestBody(exchange, idleMillis);
    }

    private static void accepted(HttpServerExchange exchange, UploadSession session) {
        exchange.setStatusCode(StatusCodes.ACCEPTED);
        progressHeaders(exchange, session);
    }

    private static void progressHeaders(HttpServerExchange exchange, UploadSession session) {
        var headers = exchange.getResponseHeaders();
        headers.put(Headers.LOCATION, "/v2/" + session.name() + "/blobs/uploads/" + session.id());
        headers.put(ApiHeaders.UPLOAD_UUID, session.id());
        // The reference registry reports an empty upload as "0-0"; clients expect that form.
        headers.put(ApiHeaders.RANGE, "0-" + Math.max(0, session.offset() - 1));
        headers.put(Headers.CONTENT_LENGTH, 0);
    }

    private static void created(HttpServerExchange exchange, RepositoryName name, Digest digest) {
        exchange.setStatusCode(StatusCodes.CREATED);
        var headers = exchange.getResponseHeaders();
        headers.put(Headers.LOCATION, "/v2/" + name + "/blobs/" + digest);
        headers.put(ApiHeaders.CONTENT_DIGEST, digest.toString());
        headers.put(Headers.CONTENT_LENGTH, 0);
    }

    private static Optional<Digest> digestOrEmpty(String text) {
        try {
            return Optional.of(Digest.parse(text));
        } catch (RegistryException e) {
            return Optional.empty();
        }
    }

    private static Optional<RepositoryName> repositoryOrEmpty(String text) {
        try {
            return Optional.of(RepositoryName.of(text));
        } catch (RegistryException e) {
            return Optional.empty();
        }
    }

    static Optional<String> query(HttpServerExchange exchange, String parameter) {
        Deque<String> values = exchange.getQueryParameters().get(parameter);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }

    private static boolean isChunked(HttpServerExchange exchange) {
        String te = exchange.getRequestHeaders().getFirst(Headers.TRANSFER_ENCODING);
        return te != null && te.toLowerCase(java.util.Locale.ROOT).contains("chunked");
    }

    static OptionalLong contentLength(HttpServerExchange exchange) {
        return ContentLength.of(exchange);
    }
}
