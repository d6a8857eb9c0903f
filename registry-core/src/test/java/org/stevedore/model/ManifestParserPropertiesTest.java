package org.stevedore.model;

import static org.stevedore.hostile.HostileText.acceptsOrRefusesWithCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import org.stevedore.hostile.HostileText;

/**
 * Manifests and indexes under hostile bytes: random bytes, random JSON, deeply nested and huge
 * documents, and valid manifests mutated field by field. Parsing either yields a manifest or
 * throws {@code MANIFEST_INVALID} (a coded error), never another exception.
 */
class ManifestParserPropertiesTest {
    private static final int TRIES = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<String> VALID = List.of(ManifestFixtures.OCI_MANIFEST, ManifestFixtures.OCI_INDEX,
            ManifestFixtures.DOCKER_MANIFEST, ManifestFixtures.DOCKER_LIST, ManifestFixtures.OCI_ARTIFACT);
    private static final List<String> FIELDS = List.of("schemaVersion", "mediaType", "config", "layers", "manifests",
            "subject", "artifactType", "annotations", "digest", "size", "fsLayers", "signatures", "platform", "urls");

    @Provide
    Arbitrary<Optional<MediaType>> contentTypes() {
        return Arbitraries.of(MediaType.OCI_MANIFEST, MediaType.OCI_INDEX, MediaType.DOCKER_MANIFEST,
                MediaType.DOCKER_MANIFEST_LIST, MediaType.DOCKER_SCHEMA1, MediaType.OCTET_STREAM,
                new MediaType("application/json")).optional(0.7);
    }

    @Provide
    Arbitrary<byte[]> documents() {
        return Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMaxSize(2000),
                randomJson().map(ManifestParserPropertiesTest::bytes),
                mutatedManifests(),
                nested(),
                HostileText.mutated(Arbitraries.of(VALID).map(ManifestFixtures::json)
                        .map(b -> new String(b, StandardCharsets.UTF_8))).map(s -> s.getBytes(StandardCharsets.UTF_8)));
    }

    @Property(tries = TRIES)
    void manifestParsesOrIsManifestInvalid(@ForAll("documents") byte[] bytes,
                                           @ForAll("contentTypes") Optional<MediaType> contentType) {
        acceptsOrRefusesWithCode(() -> ManifestParser.parse(bytes, contentType));
        acceptsOrRefusesWithCode(() -> ManifestParser.detectMediaType(bytes));
    }

    /** Few tries: each document is megabytes (the size of the 4 MiB cap and beyond). */
    @Property(tries = 12)
    void hugeManifestsParseOrAreRefused(@ForAll("huge") byte[] bytes) {
        acceptsOrRefusesWithCode(() -> ManifestParser.parse(bytes, Optional.empty()));
    }

    @Provide
    Arbitrary<byte[]> huge() {
        return Arbitraries.integers().between(10_000, 120_000).flatMap(count -> Arbitraries.of(0, 1, 2, 3).map(kind -> {
            StringBuilder text = new StringBuilder();
            switch (kind) {
                case 0: // an index listing many children
                    text.append("{\"schemaVersion\":2,\"manifests\":[");
                    for (int i = 0; i < count; i++) {
                        if (i > 0) text.append(',');
                        text.append("{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"")
                                .append(ManifestFixtures.CHILD_1).append("\",\"size\":").append(i).append('}');
                    }
                    return bytes(text.append("]}"));
                case 1: // one enormous string
                    return bytes(text.append("{\"schemaVersion\":2,\"artifactType\":\"").append("x".repeat(count * 50))
                            .append("\",\"manifests\":[]}"));
                case 2: // many annotations
                    text.append("{\"schemaVersion\":2,\"manifests\":[],\"annotations\":{");
                    for (int i = 0; i < count; i++) text.append(i > 0 ? "," : "").append("\"k").append(i).append("\":\"v\"");
                    return bytes(text.append("}}"));
                default: // a huge number
                    return bytes(text.append("{\"schemaVersion\":2").append("0".repeat(count)).append(",\"manifests\":[]}"));
            }
        }));
    }

    private static Arbitrary<byte[]> nested() {
        return Arbitraries.integers().between(1, 200_000).flatMap(depth -> Arbitraries.of("[", "{\"a\":", "{\"manifests\":[")
                .map(open -> {
                    String close = open.equals("[") ? "]" : open.equals("{\"a\":") ? "}" : "]}";
                    return bytes(new StringBuilder(open.repeat(depth)).append("1").append(close.repeat(depth)));
                }));
    }

    private static Arbitrary<JsonNode> randomJson() {
        return Arbitraries.randomValue(random -> value(random, 0));
    }

    private static JsonNode value(java.util.Random random, int depth) {
        int kind = random.nextInt(depth > 6 ? 5 : 7);
        switch (kind) {
            case 0: return NODES.nullNode();
            case 1: return NODES.booleanNode(random.nextBoolean());
            case 2: return random.nextBoolean() ? NODES.numberNode(random.nextLong()) : NODES.numberNode(random.nextDouble() * 1e300);
            case 3: return NODES.textNode(FIELDS.get(random.nextInt(FIELDS.size())));
            case 4: return NODES.textNode(random.nextBoolean() ? "sha256:" + "a".repeat(64) : "application/vnd.oci.image.manifest.v1+json");
            case 5: {
                ArrayNode array = NODES.arrayNode();
                for (int i = random.nextInt(4); i > 0; i--) array.add(value(random, depth + 1));
                return array;
            }
            default: {
                ObjectNode object = NODES.objectNode();
                for (int i = random.nextInt(5); i > 0; i--) {
                    object.set(FIELDS.get(random.nextInt(FIELDS.size())), value(random, depth + 1));
                }
                return object;
            }
        }
    }

    /** A valid manifest with one node somewhere replaced by random JSON or removed. */
    private static Arbitrary<byte[]> mutatedManifests() {
        return Arbitraries.of(VALID).flatMap(valid -> Arbitraries.randomValue(random -> {
            JsonNode tree = readTree(ManifestFixtures.json(valid));
            List<ObjectNode> objects = new ArrayList<>();
            collect(tree, objects);
            ObjectNode target = objects.get(random.nextInt(objects.size()));
            List<String> names = new ArrayList<>();
            for (Iterator<String> it = target.fieldNames(); it.hasNext(); ) names.add(it.next());
            String field = random.nextInt(3) == 0 || names.isEmpty() ? FIELDS.get(random.nextInt(FIELDS.size()))
                    : names.get(random.nextInt(names.size()));
            if (random.nextInt(4) == 0) target.remove(field);
            else target.set(field, value(random, 3));
            return bytes(tree);
        }));
    }

    private static void collect(JsonNode node, List<ObjectNode> objects) {
        if (node instanceof ObjectNode object) objects.add(object);
        node.forEach(child -> collect(child, objects));
    }

    private static JsonNode readTree(byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bytes(CharSequence text) {
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    @AfterContainer
    static void report() {
        System.out.println("FIGURES: manifest property inputs tried so far in this JVM: " + HostileText.TRIED.get());
    }
}
