package org.stevedore.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;
import org.stevedore.error.ErrorCode;
import org.stevedore.error.RegistryException;

class MediaTypeTest {

    @ParameterizedTest(name = "[{0}] -> {1}")
    @CsvSource(delimiter = '|', value = {
            "application/json|application/json",
            "application/json; charset=utf-8|application/json",
            "application/json;charset=utf-8|application/json",
            "  application/json  ; charset=utf-8 ; q=1|application/json",
            "Application/JSON|application/json",
            "APPLICATION/VND.OCI.IMAGE.MANIFEST.V1+JSON|application/vnd.oci.image.manifest.v1+json",
            "application/vnd.oci.image.layer.v1.tar+gzip|application/vnd.oci.image.layer.v1.tar+gzip",
            "application/vnd.docker.distribution.manifest.v2+json; charset=utf-8"
                    + "|application/vnd.docker.distribution.manifest.v2+json",
            "text/plain|text/plain",
            "a/b|a/b",
            "x-custom/x!#$&^_.+-y|x-custom/x!#$&^_.+-y"})
    void parseDropsParametersAndFoldsCase(String header, String expected) {
        MediaType type = MediaType.parse(header);
        assertEquals(expected, type.value());
        assertEquals(expected, type.toString());
        assertEquals(new MediaType(expected), type);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "", " ", "application", "application/", "/json", "application/json/extra",
            "application json", "application/js on", "/", ";charset=utf-8", ".app/json", "app/.json",
            "appl\u00e9/json", "application/{json}", "application/json,text/plain"})
    void parseRejectsMalformedTypesWithManifestInvalid(String header) {
        RegistryException e = assertThrows(RegistryException.class, () -> MediaType.parse(header));
        assertEquals(ErrorCode.MANIFEST_INVALID, e.code());
    }

    @ParameterizedTest
    @NullAndEmptySource
    void constructorRejectsNullAndEmptyWithManifestInvalid(String value) {
        RegistryException e = assertThrows(RegistryException.class, () -> new MediaType(value));
        assertEquals(ErrorCode.MANIFEST_INVALID, e.code());
        RegistryException fromParse = assertThrows(RegistryException.class, () -> MediaType.parse(value));
        assertEquals(ErrorCode.MANIFEST_INVALID, fromParse.code());
    }

    @ParameterizedTest
    @ValueSource(ints = {128, 1_000, 100_000})
    void rejectsOverlongSubtypeWithManifestInvalid(int length) {
        RegistryException e = assertThrows(RegistryException.class,
                () -> new MediaType("application/" + "x".repeat(length)));
        assertEquals(ErrorCode.MANIFEST_INVALID, e.code());
    }

    static Stream<Arguments> constants() {
        return Stream.of(
                Arguments.of(MediaType.OCI_MANIFEST, "application/vnd.oci.image.manifest.v1+json", true, false),
                Arguments.of(MediaType.OCI_INDEX, "application/vnd.oci.image.index.v1+json", false, true),
                Arguments.of(MediaType.DOCKER_MANIFEST,
                        "application/vnd.docker.distribution.manifest.v2+json", true, false),
                Arguments.of(MediaType.DOCKER_MANIFEST_LIST,
                        "application/vnd.docker.distribution.manifest.list.v2+json", false, true),
                Arguments.of(MediaType.DOCKER_SCHEMA1,
                        "application/vnd.docker.distribution.manifest.v1+json", false, false),
                Arguments.of(MediaType.DOCKER_SCHEMA1_SIGNED,
                        "application/vnd.docker.distribution.manifest.v1+prettyjws", false, false),
                Arguments.of(MediaType.OCI_EMPTY, "application/vnd.oci.empty.v1+json", false, false),
                Arguments.of(MediaType.OCTET_STREAM, "application/octet-stream", false, false),
                Arguments.of(new MediaType("application/vnd.oci.image.config.v1+json"),
                        "application/vnd.oci.image.config.v1+json", false, false),
                Arguments.of(new MediaType("application/json"), "application/json", false, false));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("constants")
    void classifiesManifestKinds(MediaType type, String wire, boolean imageManifest, boolean index) {
        assertEquals(wire, type.toString());
        assertEquals(imageManifest, type.isImageManifest());
        assertEquals(index, type.isIndex());
        assertEquals(imageManifest || index, type.isManifest());
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("constants")
    void parsingTheWireFormOfAConstantYieldsAnEqualType(MediaType type, String wire, boolean imageManifest,
                                                         boolean index) {
        assertEquals(type, MediaType.parse(wire));
        assertEquals(type, MediaType.parse(wire.toUpperCase() + "; charset=utf-8"));
        assertEquals(imageManifest, MediaType.parse(wire.toUpperCase()).isImageManifest());
        assertEquals(index, MediaType.parse(wire.toUpperCase()).isIndex());
    }
}
