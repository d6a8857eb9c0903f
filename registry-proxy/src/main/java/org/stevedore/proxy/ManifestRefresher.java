package org.stevedore.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stevedore.error.ErrorCode;
import org.stevedore.error.RegistryException;
import org.stevedore.model.Digest;
import org.stevedore.model.ManifestParser;
import org.stevedore.model.MediaType;
import org.stevedore.model.Reference;
import org.stevedore.model.RepositoryName;
import org.stevedore.model.Tag;
import org.stevedore.service.ManifestService;

/**
 * Keeps a proxied repository's manifests in step with its upstream. A digest names immutable
 * content: fetched once, never asked again. A tag is served from storage for the upstream's TTL
 * after it was last checked; then a {@code HEAD} asks the upstream where the tag points, and only
 * a moved tag is fetched again. An unreachable upstream leaves storage to answer with what it has.
 * Check times live in memory, so after a restart every tag is checked once on first use.
 */
final class ManifestRefresher {
    private static final Logger LOG = LoggerFactory.getLogger(ManifestRefresher.class);
    /** Every manifest type Stevedore stores: the upstream picks, the client's Accept is applied later. */
    static final String ACCEPT = String.join(", ", MediaType.OCI_INDEX.value(), MediaType.OCI_MANIFEST.value(),
            MediaType.DOCKER_MANIFEST_LIST.value(), MediaType.DOCKER_MANIFEST.value(),
            MediaType.DOCKER_SCHEMA1_SIGNED.value(), MediaType.DOCKER_SCHEMA1.value());
    private static final int MAX_CHECKED_TAGS = 100_000;

    private final ManifestService manifests;
    private final Clock clock;
    /** When each repository:tag was last found current upstream. */
    private final ConcurrentHashMap<String, Instant> checked = new ConcurrentHashMap<>();

    ManifestRefresher(ManifestService manifests, Clock clock) {
        this.manifests = manifests;
        this.clock = clock;
    }

    void refresh(UpstreamClient client, RepositoryName name, Reference reference) throws IOException {
        if (reference instanceof Digest digest) {
            if (stored(name, digest)) return;
            Optional<Fetched> fetched;
            try {
                fetched = download(client, name, digest);
            } catch (UpstreamUnavailableException e) {
                throw unavailable(client, e);
            }
            if (fetched.isPresent()) store(client, name, digest, fetched.get());
            return;
        }
        Tag tag = (Tag) reference;
        Optional<Digest> local = storedTag(name, tag);
        String key = name + ":" + tag;
        Instant last = checked.get(key);
        if (local.isPresent() && last != null && clock.instant().isBefore(last.plus(client.upstream().ttl()))) return;
        Optional<Fetched> fetched;
        try {
            Optional<Digest> remote = head(client, name, tag);
            if (local.isPresent() && remote.isPresent() && remote.get().equals(local.get())) {
                markChecked(key);
                return;
            }
            fetched = download(client, name, tag);
        } catch (UpstreamUnavailableException e) {
            if (local.isEmpty()) throw unavailable(client, e);
            LOG.info("serving cached {}:{}: {}", name, tag, e.getMessage());
            return;
        }
        // Not upstream (any more): storage answers with what it has, the cache keeps its copy.
        if (fetched.isEmpty()) return;
        store(client, name, tag, fetched.get());
        markChecked(key);
    }

    /** A manifest as the upstream sent it. */
    private record Fetched(byte[] bytes, Optional<MediaType> type) {
    }

    /** Where the upstream's tag points, when its {@code HEAD} says; empty makes the caller fetch. */
    private Optional<Digest> head(UpstreamClient client, RepositoryName name, Tag tag) {
        HttpResponse<InputStream> response;
        try {
            response = client.send("HEAD", client.upstream().remoteName(name), "manifests/" + tag, ACCEPT);
            response.body().close();
        } catch (IOException e) {
            throw new UpstreamUnavailableException(client.upstream().remoteUrl() + ": " + e);
        }
        requireAnswered(client, response);
        if (response.statusCode() != 200) return Optional.empty();
        try {
            return response.headers().firstValue("Docker-Content-Digest").map(Digest::parse);
        } catch (RegistryException unparseable) {
            return Optional.empty();
        }
    }

    /** GETs the manifest; empty when the upstream does not have it. */
    private Optional<Fetched> download(UpstreamClient client, RepositoryName name, Reference reference) {
        try {
            HttpResponse<InputStream> response =
                    client.send("GET", client.upstream().remoteName(name), "manifests/" + reference, ACCEPT);
            try (InputStream body = response.body()) {
                requireAnswered(client, response);
                if (response.statusCode() != 200) return Optional.empty();
                int max = manifests.maxManifestBytes();
                byte[] bytes = body.readNBytes(max + 1);
                if (bytes.length > max) throw new UpstreamUnavailableException("upstream manifest over " + max + " bytes");
                Optional<MediaType> type;
                try {
                    type = response.headers().firstValue("Content-Type").map(MediaType::parse);
                } catch (RuntimeException unparseable) {
                    type = Optional.empty();
                }
                return Optional.of(new Fetched(bytes, type));
            }
        } catch (IOException e) {
            throw new UpstreamUnavailableException(client.upstream().remoteUrl() + ": " + e);
        }
    }

    /** Stores a fetched manifest under {@code reference}; a digest reference must match its bytes. */
    private void store(UpstreamClient client, RepositoryName name, Reference reference, Fetched fetched)
            throws IOException {
        try {
            manifests.putFromUpstream(name, reference, fetched.bytes(), fetched.type());
        } catch (RegistryException invalid) {
            // A wrong digest or an unparseable manifest: the upstream's fault, not the client's.
            LOG.warn("upstream {} sent an unusable manifest for {}:{}: {}", client.upstream().remoteUrl(), name,
                    reference, invalid.getMessage());
            throw ErrorCode.UNAVAILABLE.withDetail("upstream registry sent an unusable manifest");
        }
        LOG.debug("cached {}:{} from {}", name, reference, client.upstream().remoteUrl());
    }

    private void markChecked(String key) {
        if (checked.size() >= MAX_CHECKED_TAGS) checked.clear();
        checked.put(key, clock.instant());
    }

    private boolean stored(RepositoryName name, Digest digest) throws IOException {
        try {
            manifests.get(name, digest);
            return true;
        } catch (RegistryException missing) {
            return false;
        }
    }

    private Optional<Digest> storedTag(RepositoryName name, Tag tag) throws IOException {
        try {
            return Optional.of(manifests.resolve(name, tag));
        } catch (RegistryException missing) {
            return Optional.empty();
        }
    }

    /** 200 and 404 are answers; anything else means the upstream cannot serve now. */
    static void requireAnswered(UpstreamClient client, HttpResponse<?> response) {
        int status = response.statusCode();
        if (status != 200 && status != 404) {
            throw new UpstreamUnavailableException(client.upstream().remoteUrl() + " answered " + status);
        }
    }

    static RegistryException unavailable(UpstreamClient client, Exception cause) {
        LOG.warn("upstream {} unavailable: {}", client.upstream().remoteUrl(), cause.getMessage());
        return ErrorCode.UNAVAILABLE.withDetail("upstream registry unavailable");
    }
}
