package org.stevedore.http;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.util.Optional;
import org.stevedore.error.ErrorCode;
import org.stevedore.service.BlobInfo;
import org.stevedore.service.BlobService;
import org.stevedore.service.ContentSource;
import org.stevedore.service.RemoteBlob;
import org.stevedore.storage.Content;

/** {@code GET}, {@code HEAD} and {@code DELETE} of {@code /v2/<name>/blobs/<digest>}. */
final class BlobHandler {
    private final BlobService blobs;
    private final ContentSource source;

    BlobHandler(BlobService blobs, ContentSource source) {
        this.blobs = blobs;
        this.source = source;
    }

    void handle(HttpServerExchange exchange, V2Route.Blob route) throws IOException {
        if (exchange.getRequestMethod().equals(Methods.DELETE)) {
            blobs.delete(route.name(), route.digest());
            exchange.setStatusCode(StatusCodes.ACCEPTED);
            exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, 0);
            return;
        }
        boolean whole = exchange.getRequestMethod().equals(Methods.GET) && !exchange.getRequestHeaders().contains(Headers.RANGE);
        Optional<URI> redirect = whole ? blobs.redirect(route.digest()) : Optional.empty();
        if (whole && redirect.isEmpty()) {
            Optional<BlobService.Opened> opened = blobs.openLinked(route.name(), route.digest());
            if (opened.isPresent()) {
                sendWhole(exchange, opened.get());
                return;
            }
            // Not linked or not stored: the path below answers, or fetches from an upstream.
        }
        Optional<BlobInfo> found = blobs.find(route.name(), route.digest());
        if (found.isEmpty() && source.covers(route.name())) {
            if (fromSource(exchange, route)) return;
            found = blobs.find(route.name(), route.digest());
        }
        BlobInfo blob = found.orElseThrow(() -> ErrorCode.BLOB_UNKNOWN.withDetail(route.digest().toString()));
        var headers = exchange.getResponseHeaders();
        putBlobHeaders(exchange, blob);
        Optional<ByteRange> range;
        try {
            range = ByteRange.parse(exchange.getRequestHeaders().getFirst(Headers.RANGE), blob.size());
        } catch (ByteRange.Unsatisfiable e) {
            headers.put(Headers.CONTENT_RANGE, "bytes */" + blob.size());
            throw ErrorCode.RANGE_INVALID.withDetail("range outside the blob's " + blob.size() + " bytes");
        }
        if (redirect.isPresent()) {
            exchange.setStatusCode(StatusCodes.TEMPORARY_REDIRECT);
            headers.put(Headers.LOCATION, redirect.get().toString());
            headers.put(Headers.CONTENT_LENGTH, 0);
            return;
        }
        long offset = range.map(ByteRange::start).orElse(0L);
        long length = range.map(ByteRange::length).orElse(blob.size());
        headers.put(Headers.CONTENT_TYPE, "application/octet-stream");
        headers.put(Headers.CONTENT_LENGTH, length);
        if (range.isPresent()) {
            exchange.setStatusCode(StatusCodes.PARTIAL_CONTENT);
            headers.put(Headers.CONTENT_RANGE, "bytes " + offset + "-" + (offset + length - 1) + "/" + blob.size());
        }
        if (exchange.getRequestMethod().equals(Methods.HEAD) || length == 0) return;
        try (Content content = blobs.open(blob, offset)) {
            BlobSender.send(exchange, content, length);
        }
    }

    private static void sendWhole(HttpServerExchange exchange, BlobService.Opened opened) throws IOException {
        try (opened) {
            long size = opened.blob().size();
            putBlobHeaders(exchange, opened.blob());
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/octet-stream");
            exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, size);
            if (size > 0) BlobSender.send(exchange, opened.content(), size);
        }
    }

    private static void putBlobHeaders(HttpServerExchange exchange, BlobInfo blob) {
        var headers = exchange.getResponseHeaders();
        headers.put(ApiHeaders.CONTENT_DIGEST, blob.digest().toString());
        headers.put(Headers.ACCEPT_RANGES, "bytes");
        headers.put(Headers.ETAG, "\"" + blob.digest() + "\"");
        headers.put(Headers.CACHE_CONTROL, "max-age=31536000");
    }

    /**
     * A blob storage lacks, from the repository's upstream: a HEAD asks the upstream only, a whole
     * GET streams to the client while storing. A range is served from storage once the whole blob
     * is stored, so answers false for the caller to continue.
     */
    private boolean fromSource(HttpServerExchange exchange, V2Route.Blob route) throws IOException {
        var headers = exchange.getResponseHeaders();
        if (exchange.getRequestMethod().equals(Methods.HEAD)) {
            long size = source.statBlob(route.name(), route.digest())
                    .orElseThrow(() -> ErrorCode.BLOB_UNKNOWN.withDetail(route.digest().toString()));
            headers.put(ApiHeaders.CONTENT_DIGEST, route.digest().toString());
            headers.put(Headers.CONTENT_TYPE, "application/octet-stream");
            headers.put(Headers.CONTENT_LENGTH, size);
            return true;
        }
        try (RemoteBlob remote = source.openBlob(route.name(), route.digest())
                .orElseThrow(() -> ErrorCode.BLOB_UNKNOWN.withDetail(route.digest().toString()))) {
            if (exchange.getRequestHeaders().contains(Headers.RANGE)) {
                remote.transferTo(OutputStream.nullOutputStream());
                return false;
            }
            headers.put(ApiHeaders.CONTENT_DIGEST, route.digest().toString());
            headers.put(Headers.ETAG, "\"" + route.digest() + "\"");
            headers.put(Headers.CONTENT_TYPE, "application/octet-stream");
            remote.size().ifPresent(size -> headers.put(Headers.CONTENT_LENGTH, size));
            exchange.startBlocking();
            remote.transferTo(exchange.getOutputStream());
            exchange.getOutputStream().close();
            return true;
        }
    }
}
