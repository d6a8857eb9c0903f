package org.stevedore.error;

/**
 * The error codes of the OCI Distribution Spec (section "Error Codes"), each with the HTTP status
 * it is sent with. Where the spec names no status, the reference registry's is used, since clients
 * were written against it.
 */
public enum ErrorCode {
    BLOB_UNKNOWN(404, "blob unknown to registry"),
    BLOB_UPLOAD_INVALID(400, "blob upload invalid"),
    BLOB_UPLOAD_UNKNOWN(404, "blob upload unknown to registry"),
    DIGEST_INVALID(400, "provided digest did not match uploaded content"),
    MANIFEST_BLOB_UNKNOWN(400, "manifest references a manifest or blob unknown to registry"),
    MANIFEST_INVALID(400, "manifest invalid"),
    MANIFEST_UNKNOWN(404, "manifest unknown to registry"),
    NAME_INVALID(400, "invalid repository name"),
    NAME_UNKNOWN(404, "repository name not known to registry"),
    SIZE_INVALID(400, "provided length did not match content length"),
    TAG_INVALID(400, "manifest tag did not match URI"),
    UNAUTHORIZED(401, "authentication required"),
    DENIED(403, "requested access to the resource is denied"),
    UNSUPPORTED(405, "the operation is unsupported"),
    TOOMANYREQUESTS(429, "too many requests"),
    PAGINATION_NUMBER_INVALID(400, "invalid number of results requested"),
    /** A {@code Content-Range} or {@code Range} the upload or blob cannot satisfy. */
    RANGE_INVALID(416, "requested range not satisfiable"),
    /** Request body larger than the registry accepts (manifests over the size limit). */
    SIZE_TOO_LARGE(413, "payload too large"),
    /** Wrong HTTP method for an existing route. */
    METHOD_UNKNOWN(405, "the method is not allowed for this route"),
    /**
     * A path that is no route of the API. Answered as distribution answers it, a plain-text 404
     * with no OCI error body ({@link #hasErrorBody()}): the spec has no code for it.
     */
    NOT_FOUND(404, "page not found"),
    /** A request over the registry's bounds that has no more precise code, e.g. too many query parameters. */
    REQUEST_INVALID(400, "malformed request"),
    /** A request target longer than the request head may be. */
    URI_TOO_LONG(414, "request URI too long"),
    /** A request head with more header bytes or header fields than the registry accepts. */
    HEADERS_TOO_LARGE(431, "request header fields too large"),
    /** Storage unavailable for a moment; the client should retry. */
    UNAVAILABLE(503, "service unavailable"),
    UNKNOWN(500, "unknown error");

    private final int status;
    private final String message;

    ErrorCode(int status, String message) {
        this.status = status;
        this.message = message;
    }

    public int status() {
        return status;
    }

    public String message() {
        return message;
    }

    /**
     * The code as it appears on the wire: only the spec's codes and distribution's documented ones
     * ({@code PAGINATION_NUMBER_INVALID}) go out, so the registry's finer codes map onto them.
     */
    public String wireCode() {
        switch (this) {
            case RANGE_INVALID: return "BLOB_UPLOAD_INVALID";
            case SIZE_TOO_LARGE: return "MANIFEST_INVALID";
            case METHOD_UNKNOWN: return "UNSUPPORTED";
            // The spec's UNSUPPORTED covers "an invalid set of parameters"; clients know no other code.
            case REQUEST_INVALID: case URI_TOO_LONG: case HEADERS_TOO_LARGE: return "UNSUPPORTED";
            case NOT_FOUND: return "NOT_FOUND"; // never on the wire: no error body (hasErrorBody)
            default: return name();
        }
    }

    /** Whether the answer carries the spec's error JSON; only {@link #NOT_FOUND} does not. */
    public boolean hasErrorBody() {
        return this != NOT_FOUND;
    }

    /** An exception carrying this code and a detail for the client (never secrets). */
    public RegistryException withDetail(String detail) {
        return new RegistryException(this, detail);
    }

    public RegistryException exception() {
        return new RegistryException(this, null);
    }
}
