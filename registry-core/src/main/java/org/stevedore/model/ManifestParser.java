package org.stevedore.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.stevedore.error.ErrorCode;

/**
 * Parses and validates manifest bytes: OCI image manifest and index, Docker schema2 manifest and
 * manifest list. Docker schema1 is refused. The media type comes from the {@code mediaType} field;
 * when that is absent (podman pushes OCI manifests without it) from the {@code Content-Type}; when
 * both are absent, from the shape ({@code manifests} means an index), as the reference registry
 * does. Thread-safe.
 */
public final class ManifestParser {
    /** Largest manifest accepted, as in the reference registry. */
    public static final int DEFAULT_MAX_BYTES = 4 * 1024 * 1024;
    private static final int MAX_NESTING = 64;

    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING).build())
            .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private ManifestParser() {
    }

    /** Parses with the digest computed as sha256 over {@code bytes}. */
    public static Manifest parse(byte[] bytes, Optional<MediaType> contentType) {
        return parse(bytes, contentType, sha256(bytes));
    }

    /**
     * Parses manifest bytes whose digest is already known.
     *
     * @throws org.stevedore.error.RegistryException {@code MANIFEST_INVALID} with a detail
     */
    public static Manifest parse(byte[] bytes, Optional<MediaType> contentType, Digest digest) {
        JsonNode root = readTree(bytes);
        if (!(root instanceof ObjectNode)) throw invalid("manifest is not a JSON object");
        MediaType mediaType = mediaTypeOf(root, contentType);
        if (!mediaType.isImageManifest() && !mediaType.isIndex()) {
            throw invalid("unsupported manifest media type " + mediaType);
        }
        JsonNode version = root.get("schemaVersion");
        if (version == null || !version.isInt() || version.intValue() != 2) {
            throw invalid("schemaVersion must be 2");
        }
        Optional<Descriptor> config = Optional.empty();
        List<Descriptor> layers = List.of();
        List<Descriptor> manifests = List.of();
        if (mediaType.isImageManifest()) {
            // A document readable as both kinds is ambiguous (CVE-2021-41190); the reference registry refuses it.
            if (present(root, "manifests")) throw invalid("image manifest must not have manifests");
            JsonNode configNode = root.get("config");
            if (configNode == null) throw invalid("image manifest has no config");
            config = Optional.of(descriptor(configNode, "config"));
            layers = descriptors(root.get("layers"), "layers", mediaType.equals(MediaType.DOCKER_MANIFEST));
        } else {
            if (present(root, "config") || present(root, "layers")) {
                throw invalid("index must not have config or layers");
            }
            manifests = descriptors(root.get("manifests"), "manifests", true);
        }
        JsonNode subjectNode = root.get("subject");
        Optional<Descriptor> subject = subjectNode == null || subjectNode.isNull()
                ? Optional.empty() : Optional.of(descriptor(subjectNode, "subject"));
        return new Manifest(digest, mediaType, bytes, config, layers, manifests, subject,
                optionalText(root, "artifactType"), annotations(root.get("annotations"), "annotations"));
    }

    /**
     * The media type of stored manifest bytes, without full validation: used when serving a
     * manifest, whose bytes were validated when pushed.
     */
    public static MediaType detectMediaType(byte[] bytes) {
        return mediaTypeOf(readTree(bytes), Optional.empty());
    }

    private static JsonNode readTree(byte[] bytes) {
        try {
            JsonNode root = JSON.readTree(bytes);
            if (root == null) throw invalid("manifest is empty");
            return root;
        } catch (JsonProcessingException e) {
            throw invalid("manifest is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw invalid("manifest could not be read");
        }
    }

    private static MediaType mediaTypeOf(JsonNode root, Optional<MediaType> contentType) {
        JsonNode field = root.get("mediaType");
        JsonNode version = root.get("schemaVersion");
        if (version != null && version.isInt() && version.intValue() == 1
                || root.has("fsLayers") || root.has("signatures")) {
            throw invalid("Docker schema1 manifests are not supported; push with schema2 or OCI");
        }
        if (contentType.isPresent() && (contentType.get().equals(MediaType.DOCKER_SCHEMA1)
                || contentType.get().equals(MediaType.DOCKER_SCHEMA1_SIGNED))) {
            throw invalid("Docker schema1 manifests are not supported; push with schema2 or OCI");
        }
        if (field != null && !field.isNull()) {
            if (!field.isTextual()) throw invalid("mediaType must be a string");
            MediaType declared = new MediaType(field.textValue());
            if (declared.equals(MediaType.DOCKER_SCHEMA1) || declared.equals(MediaType.DOCKER_SCHEMA1_SIGNED)) {
                throw invalid("Docker schema1 manifests are not supported; push with schema2 or OCI");
            }
            if (contentType.isPresent() && contentType.get().isManifest() && !contentType.get().equals(declared)) {
                throw invalid("mediaType " + declared + " does not match Content-Type " + contentType.get());
            }
            return declared;
        }
        if (contentType.isPresent() && (contentType.get().isManifest())) return contentType.get();
        return root.has("manifests") ? MediaType.OCI_INDEX : MediaType.OCI_MANIFEST;
    }

    private static List<Descriptor> descriptors(JsonNode node, String field, boolean required) {
        if (node == null || node.isNull()) {
            if (required) throw invalid(field + " is missing");
            return List.of();
        }
        if (!node.isArray()) throw invalid(field + " must be an array");
        List<Descriptor> result = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) result.add(descriptor(node.get(i), field + "[" + i + "]"));
        return result;
    }

    private static Descriptor descriptor(JsonNode node, String where) {
        if (!node.isObject()) throw invalid(where + " must be an object");
        JsonNode mediaType = node.get("mediaType");
        JsonNode digest = node.get("digest");
        JsonNode size = node.get("size");
        if (mediaType == null || !mediaType.isTextual()) throw invalid(where + ".mediaType is missing");
        if (digest == null || !digest.isTextual()) throw invalid(where + ".digest is missing");
        if (size == null || !size.canConvertToLong() || !size.isIntegralNumber() || size.longValue() < 0) {
            throw invalid(where + ".size must be a non-negative integer");
        }
        Digest parsedDigest;
        try {
            parsedDigest = Digest.parse(digest.textValue());
        } catch (RuntimeException e) {
            throw invalid(where + ".digest is not a valid digest");
        }
        MediaType parsedType;
        try {
            parsedType = new MediaType(mediaType.textValue());
        } catch (RuntimeException e) {
            throw invalid(where + ".mediaType is not a valid media type");
        }
        return new Descriptor(parsedType, parsedDigest, size.longValue(), optionalText(node, "artifactType"),
                annotations(node.get("annotations"), where + ".annotations"));
    }

    private static boolean present(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && !value.isNull();
    }

    private static Optional<String> optionalText(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) return Optional.empty();
        if (!value.isTextual()) throw invalid(field + " must be a string");
        return Optional.of(value.textValue());
    }

    private static Map<String, String> annotations(JsonNode node, String where) {
        if (node == null || node.isNull()) return Map.of();
        if (!node.isObject()) throw invalid(where + " must be an object");
        Map<String, String> result = new LinkedHashMap<>();
        var fields = node.fields();
        while (fields.hasNext()) {
            var entry = fields.next();
            if (!entry.getValue().isTextual()) throw invalid(where + " values must be strings");
            result.put(entry.getKey(), entry.getValue().textValue());
        }
        return result;
    }

    private static org.stevedore.error.RegistryException invalid(String detail) {
        return ErrorCode.MANIFEST_INVALID.withDetail(detail);
    }

    /** sha256 over bytes held in memory (manifests are bounded). */
    public static Digest sha256(byte[] bytes) {
        try {
            return Digest.sha256(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
