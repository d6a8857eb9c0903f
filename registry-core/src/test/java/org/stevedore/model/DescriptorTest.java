package org.stevedore.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.stevedore.error.ErrorCode;
import org.stevedore.error.RegistryException;

class DescriptorTest {
    private static final MediaType LAYER = new MediaType("application/vnd.oci.image.layer.v1.tar+gzip");
    private static final Digest DIGEST = Digest.sha256("ab".repeat(32));

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 1024, Long.MAX_VALUE})
    void acceptsNonNegativeSizes(long size) {
        Descriptor descriptor = Descriptor.of(LAYER, DIGEST, size);
        assertEquals(LAYER, descriptor.mediaType());
        assertEquals(DIGEST, descriptor.digest());
        assertEquals(size, descriptor.size());
        assertEquals(Optional.empty(), descriptor.artifactType());
        assertEquals(Map.of(), descriptor.annotations());
    }

    @ParameterizedTest
    @ValueSource(longs = {-1, -1024, Long.MIN_VALUE})
    void rejectsNegativeSizeWithManifestInvalid(long size) {
        RegistryException e = assertThrows(RegistryException.class, () -> Descriptor.of(LAYER, DIGEST, size));
        assertEquals(ErrorCode.MANIFEST_INVALID, e.code());
    }

    static Stream<Arguments> missingParts() {
        return Stream.of(
                Arguments.of("no media type", null, DIGEST, Optional.empty()),
                Arguments.of("no digest", LAYER, null, Optional.empty()),
                Arguments.of("null artifactType", LAYER, DIGEST, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("missingParts")
    void rejectsMissingPartsWithManifestInvalid(String description, MediaType mediaType, Digest digest,
                                               Optional<String> artifactType) {
        RegistryException e = assertThrows(RegistryException.class,
                () -> new Descriptor(mediaType, digest, 1, artifactType, Map.of()));
        assertEquals(ErrorCode.MANIFEST_INVALID, e.code());
    }

    @Test
    void nullAnnotationsBecomeEmpty() {
        Descriptor descriptor = new Descriptor(LAYER, DIGEST, 1, Optional.of("application/x"), null);
        assertEquals(Map.of(), descriptor.annotations());
        assertEquals(Optional.of("application/x"), descriptor.artifactType());
    }

    @Test
    void annotationsAreCopiedAndUnmodifiable() {
        Map<String, String> source = new HashMap<>(Map.of("org.opencontainers.image.title", "layer.tar"));
        Descriptor descriptor = new Descriptor(LAYER, DIGEST, 1, Optional.empty(), source);
        source.put("later", "change");
        assertEquals(Map.of("org.opencontainers.image.title", "layer.tar"), descriptor.annotations());
        assertThrows(UnsupportedOperationException.class, () -> descriptor.annotations().put("x", "y"));
    }

    @Test
    void equalDescriptorsHaveEqualParts() {
        Descriptor a = Descriptor.of(LAYER, DIGEST, 7);
        Descriptor b = new Descriptor(MediaType.parse(LAYER.value()), Digest.parse(DIGEST.toString()), 7,
                Optional.empty(), Map.of());
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
    }
}
