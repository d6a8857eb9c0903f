package org.stevedore.http;

import java.io.IOException;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stevedore.error.RegistryException;
import org.stevedore.model.Reference;
import org.stevedore.model.RepositoryName;
import org.stevedore.service.ManifestService;
import org.stevedore.storage.StorageUnavailableException;

/**
 * Deletes a manifest or a tag for an add-on served beside the API (the web UI), so that whoever
 * watches the API sees it exactly as a {@code DELETE /v2/<name>/manifests/<reference>}: the
 * registry's {@link RequestObserver} (event journal, notifications, metrics) is told of that
 * route, method, path and status, and an access line is written under a request id of its own.
 * A refusal (an immutable tag, an unknown reference) is observed with its status too, as the API
 * would answer it. The caller has decided that the user may delete; nothing is asked again here.
 * Thread-safe. Published API.
 */
public final class ManifestDeleter {
    private static final Logger LOG = LoggerFactory.getLogger(ManifestDeleter.class);

    private final ManifestService manifests;
    private final RequestObserver observer;
    private final boolean accessLogAtInfo;

    public ManifestDeleter(ManifestService manifests, RequestObserver observer, boolean accessLogAtInfo) {
        this.manifests = Objects.requireNonNull(manifests, "manifests");
        this.observer = Objects.requireNonNull(observer, "observer");
        this.accessLogAtInfo = accessLogAtInfo;
    }

    /**
     * Deletes {@code reference} from {@code name} through the manifest service (guards such as
     * immutable tags apply) and reports it.
     *
     * @param user   who asked, for the event and the access line
     * @param client where the request came from; its request id is replaced by a new one
     * @return the request id the deletion was logged and observed under
     * @throws RegistryException as {@link ManifestService#delete} refuses
     */
    public String delete(RepositoryName name, Reference reference, Optional<String> user,
                         CompletedRequest.ClientInfo client) throws IOException {
        String requestId = RequestIds.next();
        CompletedRequest.ClientInfo info = new CompletedRequest.ClientInfo(requestId, client.remoteAddress(),
                client.host(), client.userAgent());
        long started = System.nanoTime();
        int status = 500;
        try {
            manifests.delete(name, reference);
            status = 202;
        } catch (RegistryException refused) {
            status = refused.code().status();
            throw refused;
        } catch (StorageUnavailableException unavailable) {
            status = 503;
            throw unavailable;
        } finally {
            report(new CompletedRequest(Optional.of(new V2Route.Manifest(name, reference)), "DELETE",
                    "/v2/" + name.value() + "/manifests/" + reference, status, Optional.empty(), user,
                    Optional.empty(), Optional.empty(), info), System.nanoTime() - started);
        }
        return requestId;
    }

    private void report(CompletedRequest request, long nanos) {
        try {
            observer.completed(request);
            observer.finished(request, new RequestTotals(nanos, 0, 0));
        } catch (RuntimeException e) {
            LOG.warn("request observer failed", e);
        }
        AccessLog.writeOperation(accessLogAtInfo, request, nanos);
    }
}
