package org.stevedore.ui.pages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import org.stevedore.error.RegistryException;
import org.stevedore.model.Descriptor;
import org.stevedore.model.Digest;
import org.stevedore.model.RepositoryName;
import org.stevedore.service.PageRequest;
import org.stevedore.service.StoredManifest;
import org.stevedore.ui.browse.ManifestSummary;

/**
 * {@code GET /ui/m/NAME@DIGEST}: an index's platforms, or an image's config and layers; the
 * referrers listed under it; the raw JSON.
 */
final class ManifestPage {
    private static final int MAX_REFERRERS = 100;

    private final Pages pages;

    ManifestPage(Pages pages) {
        this.pages = pages;
    }

    void show(UiRequest request, RepositoryName name, Digest digest) throws IOException {
        if (!Guard.mayPull(pages, request, name)) return;
        StoredManifest stored;
        try {
            stored = pages.browser().service().manifests().get(name, digest);
        } catch (RegistryException unknown) {
            Guard.notFound(request);
            return;
        }
        JsonNode manifest = Json.MAPPER.readTree(stored.bytes());
        Optional<ManifestSummary> summary = pages.browser().summaries().of(name, digest);
        Map<String, Object> model = request.model(name.value() + "@" + Formats.shortDigest(digest));
        model.put("name", name.value());
        model.put("digest", digest.toString());
        model.put("mediaType", stored.mediaType().value());
        model.put("size", Formats.size(summary.map(ManifestSummary::size).orElse(0L)));
        model.put("pullDigest", "docker pull " + request.host() + "/" + name.value() + "@" + digest);
        model.put("mayDelete", pages.access().mayDelete(request.user(), name));
        model.put("isIndex", stored.mediaType().isIndex());
        model.put("subject", text(manifest.path("subject").path("digest")));
        String configType = manifest.path("config").path("mediaType").asText("");
        boolean imageConfig = isImageConfig(configType);
        model.put("artifactType", manifest.hasNonNull("artifactType") ? manifest.get("artifactType").asText()
                : !configType.isEmpty() && !imageConfig ? configType : null);
        model.put("children", stored.mediaType().isIndex() ? children(name, manifest) : List.of());
        model.put("layers", layers(manifest));
        model.put("image", imageConfig ? image(name, manifest.path("config")) : null);
        model.put("referrers", referrers(name, digest));
        model.put("raw", Json.MAPPER.writeValueAsString(manifest));
        request.html(200, "manifest", model);
    }

    private List<Map<String, Object>> children(RepositoryName name, JsonNode index) throws IOException {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (JsonNode child : index.path("manifests")) {
            Optional<Digest> digest = digest(child);
            if (digest.isEmpty()) continue;
            Optional<ManifestSummary> summary = pages.browser().summaries().of(name, digest.get());
            String platform = platform(child.path("platform"));
            if (child.path("annotations").has("vnd.docker.reference.type")) platform = "attestation";
            rows.add(Map.of("platform", platform.isEmpty() ? "unknown" : platform, "digest", digest.get().toString(),
                    "shortDigest", Formats.shortDigest(digest.get()), "mediaType", child.path("mediaType").asText(""),
                    "size", Formats.size(summary.map(ManifestSummary::size).orElse(child.path("size").asLong(0)))));
        }
        return rows;
    }

    private static List<Map<String, Object>> layers(JsonNode manifest) {
        List<Map<String, Object>> rows = new ArrayList<>();
        int number = 1;
        for (JsonNode layer : manifest.path("layers")) {
            Optional<Digest> digest = digest(layer);
            rows.add(Map.of("number", number++, "digest", digest.map(Digest::toString).orElse(""),
                    "shortDigest", digest.map(Formats::shortDigest).orElse(""),
                    "mediaType", layer.path("mediaType").asText(""), "size", Formats.size(layer.path("size").asLong(0))));
        }
        return rows;
    }

    /** The config's created time, entrypoint, command, ports and labels, if the config is readable. */
    private Map<String, Object> image(RepositoryName name, JsonNode descriptor) {
        Optional<JsonNode> config = digest(descriptor).flatMap(d -> pages.browser().summaries().readConfig(name, d));
        if (config.isEmpty()) return null;
        JsonNode settings = config.get().path("config");
        Map<String, Object> image = new java.util.HashMap<>();
        image.put("platform", platform(config.get()));
        image.put("created", text(config.get().path("created")));
        image.put("entrypoint", settings.path("Entrypoint").isArray() ? settings.path("Entrypoint").toString() : null);
        image.put("cmd", settings.path("Cmd").isArray() ? settings.path("Cmd").toString() : null);
        List<String> ports = new ArrayList<>();
        settings.path("ExposedPorts").fieldNames().forEachRemaining(ports::add);
        image.put("ports", ports.isEmpty() ? null : String.join(", ", ports));
        Map<String, String> labels = new TreeMap<>();
        settings.path("Labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText("")));
        List<Map<String, Object>> labelRows = new ArrayList<>();
        labels.forEach((key, value) -> labelRows.add(Map.of("key", key, "value", value)));
        image.put("labels", labelRows);
        return image;
    }

    private List<Map<String, Object>> referrers(RepositoryName name, Digest subject) throws IOException {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Descriptor referrer : pages.browser().service().referrers()
                .list(name, subject, Optional.empty(), new PageRequest(OptionalInt.of(MAX_REFERRERS), Optional.empty()))
                .manifests()) {
            rows.add(Map.of("artifactType", referrer.artifactType().orElse(referrer.mediaType().value()),
                    "digest", referrer.digest().toString(), "shortDigest", Formats.shortDigest(referrer.digest()),
                    "size", Formats.size(referrer.size())));
        }
        return rows;
    }

    private static boolean isImageConfig(String mediaType) {
        return mediaType.equals("application/vnd.oci.image.config.v1+json")
                || mediaType.equals("application/vnd.docker.container.image.v1+json");
    }

    private static String platform(JsonNode node) {
        String os = node.path("os").asText("");
        String architecture = node.path("architecture").asText("");
        if (os.isEmpty() && architecture.isEmpty()) return "";
        String variant = node.path("variant").asText("");
        return os + "/" + architecture + (variant.isEmpty() ? "" : "/" + variant);
    }

    private static String text(JsonNode node) {
        return node.isTextual() ? node.asText() : null;
    }

    private static Optional<Digest> digest(JsonNode descriptor) {
        try {
            return Optional.of(Digest.parse(descriptor.path("digest").asText("")));
        } catch (RuntimeException malformed) {
            return Optional.empty();
        }
    }

    /** Built at the first manifest page, not when the server starts (it needs none before). */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }
}
