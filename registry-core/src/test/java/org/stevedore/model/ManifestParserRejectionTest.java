package org.stevedore.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.stevedore.model.ManifestFixtures.*;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.stevedore.error.ErrorCode;
import org.stevedore.error.RegistryException;

/** Manifests the parser refuses: every refusal is {@code MANIFEST_INVALID} with a telling detail. */
class ManifestParserRejectionTest {
    private static final String SCHEMA1_TYPE = "'application/vnd.docker.distribution.manifest.v1+json'";
    private static final String SCHEMA1_SIGNED_TYPE = "'application/vnd.docker.distribution.manifest.v1+prettyjws'";

    private static RegistryException rejected(byte[] bytes, Optional<MediaType> contentType) {
        RegistryException e = assertThrows(RegistryException.class, () -> ManifestParser.parse(bytes, contentType));
        assertEquals(ErrorCode.MANIFEST_INVALID, e.code());
        return e;
    }

    private static void assertDetailMentions(RegistryException e, String fragment) {
        String detail = e.detail().orElseThrow();
        assertTrue(detail.contains(fragment), () -> "detail '" + detail + "' should mention '" + fragment + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "", " ", "\n\t", "not json", "{", "}", "{\"schemaVersion\": 2,}", "{'schemaVersion': 2}",
            "{\"schemaVersion\": 2", "{\"a\":}", "\u00ef\u00bb\u00bf", "{\"schemaVersion\": 2} trailing",
            "{\"schemaVersion\": 2}{\"schemaVersion\": 2}", "{\"schemaVersion\": 2}]",
            "[]", "[{\"schemaVersion\": 2}]", "\"manifest\"", "2", "true", "null"})
    void rejectsInputThatIsNotOneJsonObject(String text) {
        RegistryException e = rejected(utf8(text), Optional.empty());
        assertDetailMentions(e, "JSON");
    }

    @ParameterizedTest
    @ValueSource(ints = {65, 1_000, 10_000, 100_000})
    void rejectsDeeplyNestedArraysWithoutOverflowingTheStack(int depth) {
        byte[] bytes = utf8("[".repeat(depth) + "]".repeat(depth));
        rejected(bytes, Optional.empty());
        RegistryException e = assertThrows(RegistryException.class, () -> ManifestParser.detectMediaType(bytes));
        assertEquals(ErrorCode.MANIFEST_INVALID, e.code());
    }

    @ParameterizedTest
    @ValueSource(ints = {1_000, 10_000})
    void rejectsDeepNestingInsideAnOtherwiseValidManifest(int depth) {
        String manifest = new String(json(OCI_MANIFEST), StandardCharsets.UTF_8);
        String objects = "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
        rejected(utf8(manifest.replace("{\"schemaVersion\":2,", "{\"x-deep\":" + objects + ",\"schemaVersion\":2,")),
                Optional.empty());
        String arrays = "[".repeat(depth) + "]".repeat(depth);
        rejected(utf8(manifest.replace("\"layers\":[", "\"layers\":[" + arrays + ",")), Optional.empty());
    }

    static Stream<Arguments> brokenFields() {
        return Stream.of(
                // schemaVersion
                Arguments.of(OCI_MANIFEST, "/schemaVersion", null, "schemaVersion"),
                Arguments.of(OCI_MANIFEST, "/schemaVersion", "3", "schemaVersion"),
                Arguments.of(OCI_MANIFEST, "/schemaVersion", "'2'", "schemaVersion"),
                Arguments.of(OCI_MANIFEST, "/schemaVersion", "2.5", "schemaVersion"),
                Arguments.of(OCI_MANIFEST, "/schemaVersion", "null", "schemaVersion"),
                Arguments.of(OCI_INDEX, "/schemaVersion", "0", "schemaVersion"),
                // schema1, however it shows itself
                Arguments.of(OCI_MANIFEST, "/schemaVersion", "1", "schema1"),
                Arguments.of(OCI_MANIFEST, "/mediaType", SCHEMA1_TYPE, "schema1"),
                Arguments.of(OCI_MANIFEST, "/mediaType", SCHEMA1_SIGNED_TYPE, "schema1"),
                Arguments.of(OCI_MANIFEST, "/fsLayers", "[{'blobSum': '" + LAYER_1 + "'}]", "schema1"),
                Arguments.of(OCI_MANIFEST, "/signatures", "[{'header': {}, 'signature': 'x'}]", "schema1"),
                // the document's own mediaType
                Arguments.of(OCI_MANIFEST, "/mediaType", "'application/vnd.example.unknown+json'", "media type"),
                Arguments.of(OCI_MANIFEST, "/mediaType", "'" + OCI_CONFIG_TYPE + "'", "media type"),
                Arguments.of(OCI_MANIFEST, "/mediaType", "'application/json'", "media type"),
                Arguments.of(OCI_MANIFEST, "/mediaType", "'not a media type'", "media type"),
                Arguments.of(OCI_MANIFEST, "/mediaType", "''", "media type"),
                Arguments.of(OCI_MANIFEST, "/mediaType", "5", "mediaType"),
                Arguments.of(OCI_MANIFEST, "/mediaType", "{}", "mediaType"),
                // config and layers
                Arguments.of(OCI_MANIFEST, "/config", null, "config"),
                Arguments.of(DOCKER_MANIFEST, "/config", null, "config"),
                Arguments.of(OCI_MANIFEST, "/config", "null", "config"),
                Arguments.of(OCI_MANIFEST, "/config", "[]", "config"),
                Arguments.of(OCI_MANIFEST, "/config", "'" + CONFIG + "'", "config"),
                Arguments.of(DOCKER_MANIFEST, "/layers", null, "layers"),
                Arguments.of(OCI_MANIFEST, "/layers", "{}", "layers"),
                Arguments.of(OCI_MANIFEST, "/layers", "'" + LAYER_1 + "'", "layers"),
                Arguments.of(OCI_MANIFEST, "/layers", "7", "layers"),
                Arguments.of(OCI_MANIFEST, "/layers/1", "'" + LAYER_2 + "'", "layers[1]"),
                Arguments.of(OCI_MANIFEST, "/layers/0", "null", "layers[0]"),
                // descriptor fields
                Arguments.of(OCI_MANIFEST, "/config/digest", null, "config.digest"),
                Arguments.of(OCI_MANIFEST, "/config/size", null, "config.size"),
                Arguments.of(OCI_MANIFEST, "/config/mediaType", null, "config.mediaType"),
                Arguments.of(OCI_MANIFEST, "/layers/1/digest", null, "layers[1].digest"),
                Arguments.of(OCI_MANIFEST, "/layers/0/size", null, "layers[0].size"),
                Arguments.of(OCI_MANIFEST, "/layers/0/mediaType", null, "layers[0].mediaType"),
                Arguments.of(OCI_MANIFEST, "/layers/0/size", "-1", "layers[0].size"),
                Arguments.of(OCI_MANIFEST, "/config/size", "-9223372036854775808", "config.size"),
                Arguments.of(OCI_MANIFEST, "/layers/0/size", "1.5", "layers[0].size"),
                Arguments.of(OCI_MANIFEST, "/layers/0/size", "'12'", "layers[0].size"),
                Arguments.of(OCI_MANIFEST, "/layers/0/size", "null", "layers[0].size"),
                Arguments.of(OCI_MANIFEST, "/layers/0/size", "99999999999999999999999", "layers[0].size"),
                Arguments.of(OCI_MANIFEST, "/layers/0/digest", "'sha256:abc'", "layers[0].digest"),
                Arguments.of(OCI_MANIFEST, "/layers/0/digest", "'" + LAYER_1.toUpperCase() + "'", "layers[0].digest"),
                Arguments.of(OCI_MANIFEST, "/layers/0/digest", "'" + LAYER_1.substring(7) + "'", "layers[0].digest"),
                Arguments.of(OCI_MANIFEST, "/layers/0/digest", "'sha256:../../etc/passwd'", "layers[0].digest"),
                Arguments.of(OCI_MANIFEST, "/layers/0/digest", "''", "layers[0].digest"),
                Arguments.of(OCI_MANIFEST, "/layers/0/digest", "5", "layers[0].digest"),
                Arguments.of(OCI_MANIFEST, "/config/digest", "'sha512:abc'", "config.digest"),
                Arguments.of(OCI_MANIFEST, "/layers/0/mediaType", "'not a type'", "layers[0].mediaType"),
                Arguments.of(OCI_MANIFEST, "/layers/0/mediaType", "5", "layers[0].mediaType"),
                Arguments.of(OCI_MANIFEST, "/layers/0/artifactType", "5", "artifactType"),
                // index entries
                Arguments.of(OCI_INDEX, "/manifests", "{}", "manifests"),
                Arguments.of(OCI_INDEX, "/manifests", "null", "manifests"),
                Arguments.of(DOCKER_LIST, "/manifests", null, "manifests"),
                Arguments.of(OCI_INDEX, "/manifests/0/digest", null, "manifests[0].digest"),
                Arguments.of(OCI_INDEX, "/manifests/1/size", "-5", "manifests[1].size"),
                Arguments.of(DOCKER_LIST, "/manifests/1/digest", "'sha256:short'", "manifests[1].digest"),
                Arguments.of(OCI_INDEX, "/manifests/0/mediaType", null, "manifests[0].mediaType"),
                // an image manifest that is also an index, or the reverse (CVE-2021-41190)
                Arguments.of(OCI_MANIFEST, "/manifests", "[]", "manifests"),
                Arguments.of(DOCKER_MANIFEST, "/manifests", "[]", "manifests"),
                Arguments.of(OCI_INDEX, "/layers", "[]", "layers"),
                Arguments.of(OCI_INDEX, "/config", "{'mediaType': '" + OCI_CONFIG_TYPE + "', 'digest': '"
                        + CONFIG + "', 'size': 1}", "config"),
                Arguments.of(DOCKER_LIST, "/layers", "[]", "layers"),
                // annotations, subject, artifactType
                Arguments.of(OCI_MANIFEST, "/annotations", "{'a': 1}", "annotations"),
                Arguments.of(OCI_MANIFEST, "/annotations", "{'a': null}", "annotations"),
                Arguments.of(OCI_MANIFEST, "/annotations", "{'a': true}", "annotations"),
                Arguments.of(OCI_MANIFEST, "/annotations", "{'a': {'b': 'c'}}", "annotations"),
                Arguments.of(OCI_MANIFEST, "/annotations", "{'a': ['x']}", "annotations"),
                Arguments.of(OCI_MANIFEST, "/annotations", "[]", "annotations"),
                Arguments.of(OCI_MANIFEST, "/annotations", "'a=b'", "annotations"),
                Arguments.of(OCI_MANIFEST, "/layers/0/annotations", "{'a': 2}", "layers[0].annotations"),
                Arguments.of(OCI_INDEX, "/manifests/0/annotations", "{'a': false}", "manifests[0].annotations"),
                Arguments.of(OCI_ARTIFACT, "/subject", "'" + SUBJECT + "'", "subject"),
                Arguments.of(OCI_ARTIFACT, "/subject/digest", null, "subject.digest"),
                Arguments.of(OCI_ARTIFACT, "/subject/size", "-1", "subject.size"),
                Arguments.of(OCI_ARTIFACT, "/artifactType", "5", "artifactType"),
                Arguments.of(OCI_ARTIFACT, "/artifactType", "{}", "artifactType"));
    }

    @ParameterizedTest(name = "{1} = {2}")
    @MethodSource("brokenFields")
    void rejectsABrokenFieldWithADetailNamingIt(String fixture, String pointer, String value, String mention) {
        RegistryException e = rejected(with(fixture, pointer, value), Optional.empty());
        assertDetailMentions(e, mention);
    }

    static Stream<Arguments> contentTypeMismatches() {
        return Stream.of(
                Arguments.of(OCI_MANIFEST, MediaType.DOCKER_MANIFEST, "does not match"),
                Arguments.of(OCI_MANIFEST, MediaType.OCI_INDEX, "does not match"),
                Arguments.of(OCI_INDEX, MediaType.OCI_MANIFEST, "does not match"),
                Arguments.of(OCI_INDEX, MediaType.DOCKER_MANIFEST_LIST, "does not match"),
                Arguments.of(DOCKER_MANIFEST, MediaType.OCI_MANIFEST, "does not match"),
                Arguments.of(DOCKER_LIST, MediaType.OCI_INDEX, "does not match"),
                Arguments.of(OCI_ARTIFACT, MediaType.OCI_INDEX, "does not match"),
                Arguments.of(OCI_MANIFEST, MediaType.DOCKER_SCHEMA1, "schema1"),
                Arguments.of(OCI_MANIFEST, MediaType.DOCKER_SCHEMA1_SIGNED, "schema1"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("contentTypeMismatches")
    void rejectsAMediaTypeFieldThatDisagreesWithAManifestContentType(String fixture, MediaType contentType,
                                                                     String mention) {
        RegistryException e = rejected(json(fixture), Optional.of(contentType));
        assertDetailMentions(e, mention);
    }

    static Stream<Arguments> wrongShapeForContentType() {
        return Stream.of(
                Arguments.of(OCI_MANIFEST, MediaType.OCI_INDEX, "index must not have config or layers"),
                Arguments.of(OCI_MANIFEST, MediaType.DOCKER_MANIFEST_LIST, "index must not have config or layers"),
                Arguments.of(OCI_INDEX, MediaType.OCI_MANIFEST, "must not have manifests"),
                Arguments.of(DOCKER_LIST, MediaType.DOCKER_MANIFEST, "must not have manifests"),
                Arguments.of(OCI_MANIFEST, MediaType.DOCKER_SCHEMA1, "schema1"),
                Arguments.of(OCI_MANIFEST, MediaType.DOCKER_SCHEMA1_SIGNED, "schema1"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("wrongShapeForContentType")
    void rejectsADocumentWithoutMediaTypeFieldWhoseShapeDoesNotFitTheContentType(
            String fixture, MediaType contentType, String mention) {
        RegistryException e = rejected(with(fixture, "/mediaType", null), Optional.of(contentType));
        assertDetailMentions(e, mention);
    }
}
