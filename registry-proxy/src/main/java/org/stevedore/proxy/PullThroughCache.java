package org.stevedore.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import org.stevedore.model.Digest;
import org.stevedore.model.Reference;
import org.stevedore.model.RepositoryName;
import org.stevedore.service.ContentSource;
import org.stevedore.service.RegistryService;
import org.stevedore.service.RemoteBlob;

/**
 * A pull-through cache over one or more upstream registries, each serving the repositories under
 * its prefix (the longest matching prefix wins); other repositories stay hosted and accept pushes.
 * Manifests are kept current by {@link ManifestRefresher}; a missing blob streams from the
 * upstream to the client and into storage at once ({@link StreamingBlob}). Install it with
 * {@code Registry.builder().contentSource(PullThroughCache.over(upstreams))}. Thread-safe.
 * Published API.
 */
public final class PullThroughCache implements ContentSource {
    private final List<UpstreamClient> clients;
    private final RegistryService service;
    private final ManifestRefresher refresher;

    private PullThroughCache(List<Upstream> upstreams, RegistryService service, Clock clock) {
        this.clients = upstreams.stream()
                .sorted(Comparator.comparingInt((Upstream u) -> u.prefix().length()).reversed())
                .map(UpstreamClient::new)
                .toList();
        this.service = service;
        this.refresher = new ManifestRefresher(service.manifests(), clock);
    }

    /** The factory {@code RegistryBuilder.contentSource} takes, for these upstreams. */
    public static Function<RegistryService, ContentSource> over(List<Upstream> upstreams) {
        List<Upstream> copy = List.copyOf(upstreams);
        if (copy.isEmpty()) throw new IllegalArgumentException("a pull-through cache needs an upstream");
        if (copy.stream().map(Upstream::prefix).distinct().count() != copy.size()) {
            throw new IllegalArgumentException("two proxy upstreams share a prefix");
        }
        return service -> new PullThroughCache(copy, service, Clock.systemUTC());
    }

    @Override
    public boolean covers(RepositoryName name) {
        return clientFor(name).isPresent();
    }

    @Override
    public void refreshManifest(RepositoryName name, Reference reference) throws IOException {
        Optional<UpstreamClient> client = clientFor(name);
        if (client.isPresent()) refresher.refresh(client.get(), name, reference);
    }

    @Override
    public OptionalLong statBlob(RepositoryName name, Digest digest) throws IOException {
        Optional<UpstreamClient> client = clientFor(name);
        if (client.isEmpty()) return OptionalLong.empty();
        HttpResponse<InputStream> response = blobRequest(client.get(), "HEAD", name, digest);
        response.body().close();
        if (response.statusCode() != 200) return OptionalLong.empty();
        return response.headers().firstValueAsLong("Content-Length");
    }

    @Override
    public Optional<RemoteBlob> openBlob(RepositoryName name, Digest digest) throws IOException {
        Optional<UpstreamClient> client = clientFor(name);
        if (client.isEmpty()) return Optional.empty();
        HttpResponse<InputStream> response = blobRequest(client.get(), "GET", name, digest);
        if (response.statusCode() != 200) {
            response.body().close();
            return Optional.empty();
        }
        return Optional.of(new StreamingBlob(service.uploads(), name, digest, response.body(),
                response.headers().firstValueAsLong("Content-Length")));
    }

    @Override
    public Optional<List<String>> listTags(RepositoryName name) {
        return clientFor(name).flatMap(client -> TagLister.list(client, name));
    }

    /** The blob request's answer, 200 or 404; anything else is {@code UNAVAILABLE}. */
    private static HttpResponse<InputStream> blobRequest(UpstreamClient client, String method, RepositoryName name,
                                                         Digest digest) {
        HttpResponse<InputStream> response;
        try {
            response = client.send(method, client.upstream().remoteName(name), "blobs/" + digest, null);
        } catch (IOException | UpstreamUnavailableException e) {
            throw ManifestRefresher.unavailable(client, e);
        }
        try {
            ManifestRefresher.requireAnswered(client, response);
        } catch (UpstreamUnavailableException e) {
            try {
                response.body().close();
            } catch (IOException ignored) {
                // Closing a refused response's body: nothing left to do with it.
            }
            throw ManifestRefresher.unavailable(client, e);
        }
        return response;
    }

    private Optional<UpstreamClient> clientFor(RepositoryName name) {
        for (UpstreamClient client : clients) {
            if (client.upstream().covers(name)) return Optional.of(client);
        }
        return Optional.empty();
    }
}
