package org.stevedore.ui.browse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.stevedore.error.RegistryException;
import org.stevedore.model.Digest;
import org.stevedore.model.RepositoryName;
import org.stevedore.service.BlobService;
import org.stevedore.service.RegistryService;
import org.stevedore.service.StoredManifest;

/**
 * Summaries of manifests by digest, read through the registry's services and cached: content
 * under a digest never changes, so the cache is only a cache (any node can rebuild it) and never
 * stale. Bounded by entry count; when full it starts over. Thread-safe.
 */
public final class ManifestSummaries {
    /** Image configs larger than this are not read for their platform. */
    static final int MAX_CONFIG_BYTES = 1024 * 1024;
    private static final int MAX_ENTRIES = 100_000;

    private final RegistryService service;
    private final Map<Digest, ManifestSummary> cache = new ConcurrentHashMap<>();

    public ManifestSummaries(RegistryService service) {
        this.service = service;
    }

    /** The summary of {@code digest} as stored in {@code name}; empty if the repository lacks it. */
    public Optional<ManifestSummary> of(RepositoryName name, Digest digest) throws IOException {
        ManifestSummary cached = cache.get(digest);
        if (cached != null) return Optional.of(cached);
        StoredManifest stored;
        try {
            stored = service.manifests().get(name, digest);
        } catch (RegistryException unknown) {
            return Optional.empty();
        }
        ManifestSummary summary = summarize(name, stored);
        if (cache.size() >= MAX_ENTRIES) cache.clear();
        cache.put(digest, summary);
        return Optional.of(summary);
    }

    private ManifestSummary summarize(RepositoryName name, StoredManifest stored) throws IOException {
        JsonNode manifest = Json.MAPPER.readTree(stored.bytes());
        Map<Digest, Long> blobs = new LinkedHashMap<>();
        List<String> platforms = new ArrayList<>();
        if (stored.mediaType().isIndex()) {
            for (JsonNode child : manifest.path("manifests")) {
                Optional<Digest> digest = digest(child);
                if (digest.isEmpty()) continue;
                Optional<ManifestSummary> image = of(name, digest.get());
                image.ifPresent(s -> blobs.putAll(s.blobs()));
                String platform = platform(child.path("platform"));
                if (!platform.isEmpty() && !isAttestation(child)) platforms.add(platform);
            }
        } else {
            JsonNode config = manifest.path("config");
            addBlob(blobs, config);
            for (JsonNode layer : manifest.path("layers")) addBlob(blobs, layer);
            String configType = config.path("mediaType").asText("");
            if (configType.endsWith("container.image.v1+json") || configType.endsWith("image.config.v1+json")) {
                digest(config).flatMap(d -> readConfig(name, d)).map(ManifestSummaries::platform)
                        .filter(p -> !p.isEmpty()).ifPresent(platforms::add);
            }
        }
        return new ManifestSummary(stored.mediaType().value(), platforms, blobs);
    }

    /** The image config blob as JSON, if stored, linked here and small enough. */
    public Optional<JsonNode> readConfig(RepositoryName name, Digest digest) {
        try {
            Optional<BlobService.Opened> opened = service.blobs().openLinked(name, digest);
            if (opened.isEmpty()) return Optional.empty();
            try (BlobService.Opened blob = opened.get(); InputStream in = blob.content().asStream()) {
                if (blob.blob().size() > MAX_CONFIG_BYTES) return Optional.empty();
                return Optional.of(Json.MAPPER.readTree(in.readNBytes(MAX_CONFIG_BYTES)));
            }
        } catch (IOException | RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    /** {@code os/architecture[/variant]} of a platform object or an image config; "" if unknown. */
    static String platform(JsonNode node) {
        String os = node.path("os").asText("");
        String architecture = node.path("architecture").asText("");
        if (os.isEmpty() && architecture.isEmpty()) return "";
        String variant = node.path("variant").asText("");
        return os + "/" + architecture + (variant.isEmpty() ? "" : "/" + variant);
    }

    /** BuildKit lists provenance attestations in an index under platform unknown/unknown. */
    private static boolean isAttestation(JsonNode descriptor) {
        return descriptor.path("annotations").has("vnd.docker.reference.type");
    }

    static Optional<Digest> digest(JsonNode descriptor) {
        try {
            return Optional.of(Digest.parse(descriptor.path("digest").asText("")));
        } catch (RuntimeException malformed) {
            return Optional.empty();
        }
    }

    private static void addBlob(Map<Digest, Long> blobs, JsonNode descriptor) {
        digest(descriptor).ifPresent(d -> blobs.put(d, Math.max(0, descriptor.path("size").asLong(0))));
    }

    /** Built at the first page that reads a manifest, not when the server starts (it needs none before). */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }
}
