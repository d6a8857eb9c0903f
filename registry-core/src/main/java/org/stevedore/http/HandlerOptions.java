package org.stevedore.http;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.stevedore.auth.AccessController;

/**
 * How the API handler behaves beyond the storage it serves.
 *
 * @param idleMillis       longest wait for the next bytes of a request body
 * @param accessLogAtInfo  one access line per request at INFO (server) rather than DEBUG (embedded)
 * @param accessController who may do what; empty means no credentials are asked for
 * @param deleteEnabled    whether DELETE of manifests, tags and blobs is allowed
 * @param readOnly         whether every write is refused
 * @param responseHeaders  extra headers on every answer, errors included (distribution's {@code http.headers})
 */
public record HandlerOptions(long idleMillis, boolean accessLogAtInfo, Optional<AccessController> accessController,
                             boolean deleteEnabled, boolean readOnly, Map<String, List<String>> responseHeaders) {
    public HandlerOptions {
        responseHeaders = Map.copyOf(responseHeaders);
    }

    /** Without extra response headers. */
    public HandlerOptions(long idleMillis, boolean accessLogAtInfo, Optional<AccessController> accessController,
                          boolean deleteEnabled, boolean readOnly) {
        this(idleMillis, accessLogAtInfo, accessController, deleteEnabled, readOnly, Map.of());
    }
}
