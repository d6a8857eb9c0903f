package org.stevedore.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.stevedore.model.ManifestFixtures.*;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Manifests the parser accepts, and what it reads from them. Rejections: {@link ManifestParserRejectionTest}. */
class ManifestParserTest {
    private static final MediaType JSON_TYPE = new MediaType("application/json");

    static Stream<Arguments> acceptedKinds() {
        return Stream.of(
                Arguments.of("OCI manifest, field only", json(OCI_MANIFEST), null, MediaType.OCI_MANIFEST),
                Arguments.of("OCI manifest, field and same Content-Type", json(OCI_MANIFEST),
                        MediaType.OCI_MANIFEST, MediaType.OCI_MANIFEST),
                Arguments.of("OCI manifest, field and generic Content-Type", json(OCI_MANIFEST), JSON_TYPE,
                        MediaType.OCI_MANIFEST),
                Arguments.of("OCI manifest, no field, Content-Type decides",
                        with(OCI_MANIFEST, "/mediaType", null), MediaType.OCI_MANIFEST, MediaType.OCI_MANIFEST),
                Arguments.of("OCI-shaped manifest, no field, Docker Content-Type decides",
                        with(OCI_MANIFEST, "/mediaType", null), MediaType.DOCKER_MANIFEST, MediaType.DOCKER_MANIFEST),
                Arguments.of("OCI manifest, null field, Content-Type decides",
                        with(OCI_MANIFEST, "/mediaType", "null"), MediaType.OCI_MANIFEST, MediaType.OCI_MANIFEST),
                Arguments.of("OCI manifest, neither, shape decides", with(OCI_MANIFEST, "/mediaType", null), null,
                        MediaType.OCI_MANIFEST),
                Arguments.of("OCI manifest, no field, generic Content-Type, shape decides",
                        with(OCI_MANIFEST, "/mediaType", null), MediaType.OCTET_STREAM, MediaType.OCI_MANIFEST),
                Arguments.of("OCI index, field only", json(OCI_INDEX), null, MediaType.OCI_INDEX),
                Arguments.of("OCI index, no field, Content-Type decides", with(OCI_INDEX, "/mediaType", null),
                        MediaType.OCI_INDEX, MediaType.OCI_INDEX),
                Arguments.of("OCI index, neither, shape decides", with(OCI_INDEX, "/mediaType", null), null,
                        MediaType.OCI_INDEX),
                Arguments.of("Docker schema2, field only", json(DOCKER_MANIFEST), null, MediaType.DOCKER_MANIFEST),
                Arguments.of("Docker schema2, field and Content-Type with charset", json(DOCKER_MANIFEST),
                        MediaType.parse(MediaType.DOCKER_MANIFEST + "; charset=utf-8"), MediaType.DOCKER_MANIFEST),
                Arguments.of("Docker manifest list", json(DOCKER_LIST), MediaType.DOCKER_MANIFEST_LIST,
                        MediaType.DOCKER_MANIFEST_LIST),
                Arguments.of("OCI artifact", json(OCI_ARTIFACT), MediaType.OCI_MANIFEST, MediaType.OCI_MANIFEST),
                Arguments.of("mediaType field in upper case", with(OCI_MANIFEST, "/mediaType",
                        "'APPLICATION/VND.OCI.IMAGE.MANIFEST.V1+JSON'"), MediaType.OCI_MANIFEST,
                        MediaType.OCI_MANIFEST),
                Arguments.of("OCI manifest without layers", with(OCI_MANIFEST, "/layers", null), null,
                        MediaType.OCI_MANIFEST),
                Arguments.of("OCI manifest with empty layers", with(OCI_MANIFEST, "/layers", "[]"), null,
                        MediaType.OCI_MANIFEST),
                Arguments.of("OCI index with no manifests", with(OCI_INDEX, "/manifests", "[]"), null,
                        MediaType.OCI_INDEX),
                Arguments.of("unknown extra fields", with(OCI_MANIFEST, "/x-extension", "{'a': [1, 2]}"), null,
                        MediaType.OCI_MANIFEST),
                Arguments.of("null subject and annotations", with(with(OCI_MANIFEST, "/subject", "null"),
                        "/annotations", "null"), null, MediaType.OCI_MANIFEST));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("acceptedKinds")
    void acceptsEachManifestKindWithTheMediaTypeFromFieldContentTypeOrShape(
            String description, byte[] bytes, MediaType contentType, MediaType expected) {
        Manifest manifest = ManifestParser.parse(bytes, Optional.ofNullable(contentType));
        assertEquals(expected, manifest.mediaType());
        assertEquals(expected.isIndex(), manifest.isIndex());
        assertEquals(expected.isIndex(), manifest.config().isEmpty());
        if (expected.isIndex()) assertTrue(manifest.layers().isEmpty());
        else assertTrue(manifest.manifests().isEmpty());
        assertSame(bytes, manifest.bytes());
        assertEquals(sha256(bytes), manifest.digest());
    }

    @Test
    void readsConfigLayersAndAnnotationsOfAnOciManifest() {
        Manifest manifest = ManifestParser.parse(json(OCI_MANIFEST), Optional.empty());
        assertEquals(Optional.of(new Descriptor(new MediaType(OCI_CONFIG_TYPE), Digest.parse(CONFIG), 7023,
                Optional.empty(), Map.of())), manifest.config());
        assertEquals(List.of(
                new Descriptor(new MediaType(OCI_LAYER_TYPE), Digest.parse(LAYER_1), 32654, Optional.empty(),
                        Map.of("org.opencontainers.image.title", "base.tar.gz")),
                Descriptor.of(new MediaType(OCI_LAYER_TYPE), Digest.parse(LAYER_2), 16724)), manifest.layers());
        assertEquals(Map.of("com.example.key1", "value1", "com.example.key2", "value2"), manifest.annotations());
        assertEquals(Optional.empty(), manifest.subject());
        assertEquals(Optional.empty(), manifest.artifactType());
    }

    @Test
    void readsChildManifestsOfAnIndexInOrder() {
        Manifest manifest = ManifestParser.parse(json(OCI_INDEX), Optional.empty());
        assertEquals(List.of(Digest.parse(CHILD_1), Digest.parse(CHILD_2)),
                manifest.manifests().stream().map(Descriptor::digest).toList());
        assertEquals(List.of(7143L, 7682L), manifest.manifests().stream().map(Descriptor::size).toList());
        assertTrue(manifest.manifests().stream().allMatch(d -> d.mediaType().equals(MediaType.OCI_MANIFEST)));
        assertEquals(Map.of("com.example.key1", "value1"), manifest.annotations());
    }

    @Test
    void readsChildManifestsOfADockerManifestList() {
        Manifest manifest = ManifestParser.parse(json(DOCKER_LIST), Optional.empty());
        assertEquals(List.of(Digest.parse(CHILD_1), Digest.parse(CHILD_2)),
                manifest.manifests().stream().map(Descriptor::digest).toList());
        assertTrue(manifest.manifests().stream().allMatch(d -> d.mediaType().equals(MediaType.DOCKER_MANIFEST)));
    }

    @Test
    void readsArtifactTypeSubjectAndDescriptorArtifactTypeOfAnArtifact() {
        Manifest manifest = ManifestParser.parse(json(OCI_ARTIFACT), Optional.of(MediaType.OCI_MANIFEST));
        assertEquals(Optional.of(SBOM_TYPE), manifest.artifactType());
        assertEquals(Optional.of(Descriptor.of(MediaType.OCI_MANIFEST, Digest.parse(SUBJECT), 7682)),
                manifest.subject());
        assertEquals(MediaType.OCI_EMPTY, manifest.config().orElseThrow().mediaType());
        assertEquals(Optional.of("application/vnd.example.layer"), manifest.layers().get(0).artifactType());
        assertEquals(Map.of("org.opencontainers.image.created", "2024-01-01T00:00:00Z"), manifest.annotations());
    }

    @Test
    void readsSubjectAndArtifactTypeOfAnIndex() {
        byte[] bytes = with(with(OCI_INDEX, "/artifactType", "'application/vnd.example.sig'"), "/subject",
                "{'mediaType': 'application/vnd.oci.image.index.v1+json', 'digest': '" + SUBJECT + "', 'size': 9}");
        Manifest manifest = ManifestParser.parse(bytes, Optional.empty());
        assertEquals(Optional.of("application/vnd.example.sig"), manifest.artifactType());
        assertEquals(Optional.of(Descriptor.of(MediaType.OCI_INDEX, Digest.parse(SUBJECT), 9)), manifest.subject());
    }

    static Stream<Arguments> exactBytes() {
        return Stream.of(
                Arguments.of("pretty printed", utf8(OCI_MANIFEST.replace('\'', '"'))),
                Arguments.of("compact", json(OCI_MANIFEST)),
                Arguments.of("tabs, CRLF and trailing newline",
                        utf8(OCI_MANIFEST.replace('\'', '"').replace("\n", "\r\n\t") + "\n")),
                Arguments.of("leading whitespace and unusual key order",
                        utf8("  \n{\"layers\":[],\"config\":{\"size\":2,\"digest\":\"" + CONFIG
                                + "\",\"mediaType\":\"application/vnd.oci.empty.v1+json\"},\"schemaVersion\":2}  ")),
                Arguments.of("non-ASCII annotation", utf8(OCI_MANIFEST.replace('\'', '"')
                        .replace("value1", "caf\u00e9 \u2603 \\u00e9"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("exactBytes")
    void digestIsSha256OverTheExactBytesWhichAreKeptUnchanged(String description, byte[] bytes) throws Exception {
        byte[] original = bytes.clone();
        Manifest manifest = ManifestParser.parse(bytes, Optional.empty());
        String expected = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(original));
        assertEquals(expected, manifest.digest().toString());
        assertArrayEquals(original, manifest.bytes());
        assertArrayEquals(original, bytes, "parser must not modify its input");
    }

    @Test
    void whitespaceChangesTheDigest() {
        Manifest pretty = ManifestParser.parse(utf8(OCI_MANIFEST.replace('\'', '"')), Optional.empty());
        Manifest compact = ManifestParser.parse(json(OCI_MANIFEST), Optional.empty());
        assertNotEquals(pretty.digest(), compact.digest());
        assertEquals(pretty.layers(), compact.layers());
    }

    @Test
    void usesAKnownDigestAsGiven() {
        Digest known = Digest.parse("sha512:" + "d".repeat(128));
        Manifest manifest = ManifestParser.parse(json(OCI_INDEX), Optional.empty(), known);
        assertEquals(known, manifest.digest());
    }

    @Test
    void sha256HelperMatchesMessageDigest() throws Exception {
        byte[] bytes = utf8("{}");
        assertEquals("sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)),
                ManifestParser.sha256(bytes).toString());
        assertEquals("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                ManifestParser.sha256(new byte[0]).toString());
    }

    static Stream<Arguments> storedKinds() {
        return Stream.of(
                Arguments.of(json(OCI_MANIFEST), MediaType.OCI_MANIFEST),
                Arguments.of(json(OCI_INDEX), MediaType.OCI_INDEX),
                Arguments.of(json(DOCKER_MANIFEST), MediaType.DOCKER_MANIFEST),
                Arguments.of(json(DOCKER_LIST), MediaType.DOCKER_MANIFEST_LIST),
                Arguments.of(with(OCI_MANIFEST, "/mediaType", null), MediaType.OCI_MANIFEST),
                Arguments.of(with(OCI_INDEX, "/mediaType", null), MediaType.OCI_INDEX));
    }

    @ParameterizedTest
    @MethodSource("storedKinds")
    void detectsTheMediaTypeOfStoredBytes(byte[] bytes, MediaType expected) {
        assertEquals(expected, ManifestParser.detectMediaType(bytes));
    }

    private static Digest sha256(byte[] bytes) {
        try {
            return Digest.sha256(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
