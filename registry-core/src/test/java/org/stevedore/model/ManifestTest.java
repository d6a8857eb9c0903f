package org.stevedore.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.stevedore.model.ManifestFixtures.*;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ManifestTest {
    private static final String EMPTY_CONFIG =
            "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";

    private static Manifest parse(byte[] bytes) {
        return ManifestParser.parse(bytes, Optional.empty());
    }

    static Stream<Arguments> blobReferences() {
        return Stream.of(
                Arguments.of("OCI manifest", json(OCI_MANIFEST), List.of(CONFIG, LAYER_1, LAYER_2)),
                Arguments.of("Docker schema2", json(DOCKER_MANIFEST), List.of(CONFIG, LAYER_1, LAYER_2)),
                Arguments.of("artifact", json(OCI_ARTIFACT), List.of(EMPTY_CONFIG, LAYER_1)),
                Arguments.of("manifest without layers", with(OCI_MANIFEST, "/layers", null), List.of(CONFIG)),
                Arguments.of("layers in pushed order", with(with(OCI_MANIFEST, "/layers/0/digest", "'" + LAYER_2 + "'"),
                        "/layers/1/digest", "'" + LAYER_1 + "'"), List.of(CONFIG, LAYER_2, LAYER_1)),
                Arguments.of("same blob twice", with(OCI_MANIFEST, "/layers/1/digest", "'" + LAYER_1 + "'"),
                        List.of(CONFIG, LAYER_1, LAYER_1)),
                Arguments.of("OCI index", json(OCI_INDEX), List.of()),
                Arguments.of("Docker manifest list", json(DOCKER_LIST), List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("blobReferences")
    void blobReferencesAreTheConfigThenTheLayersAndNothingForAnIndex(String description, byte[] bytes,
                                                                    List<String> expected) {
        List<String> digests = parse(bytes).blobReferences().stream().map(d -> d.digest().toString()).toList();
        assertEquals(expected, digests);
    }

    @Test
    void blobReferencesDoNotIncludeTheSubject() {
        Manifest artifact = parse(json(OCI_ARTIFACT));
        assertEquals(Digest.parse(SUBJECT), artifact.subject().orElseThrow().digest());
        assertEquals(List.of(), artifact.blobReferences().stream()
                .filter(d -> d.digest().toString().equals(SUBJECT)).toList());
    }

    static Stream<Arguments> effectiveArtifactTypes() {
        return Stream.of(
                Arguments.of("artifactType wins over config type", json(OCI_ARTIFACT), Optional.of(SBOM_TYPE)),
                Arguments.of("config media type without artifactType", json(OCI_MANIFEST),
                        Optional.of(OCI_CONFIG_TYPE)),
                Arguments.of("Docker config media type", json(DOCKER_MANIFEST), Optional.of(DOCKER_CONFIG_TYPE)),
                Arguments.of("empty config without artifactType", with(OCI_ARTIFACT, "/artifactType", null),
                        Optional.of("application/vnd.oci.empty.v1+json")),
                Arguments.of("artifactType on a regular image", with(OCI_MANIFEST, "/artifactType",
                        "'application/vnd.example.thing'"), Optional.of("application/vnd.example.thing")),
                Arguments.of("index without artifactType", json(OCI_INDEX), Optional.empty()),
                Arguments.of("index with artifactType",
                        with(OCI_INDEX, "/artifactType", "'application/vnd.example.sig'"),
                        Optional.of("application/vnd.example.sig")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("effectiveArtifactTypes")
    void effectiveArtifactTypeIsTheArtifactTypeElseTheConfigMediaType(String description, byte[] bytes,
                                                                     Optional<String> expected) {
        assertEquals(expected, parse(bytes).effectiveArtifactType());
    }

    @Test
    void copiesItsCollectionsAndKeepsThemUnmodifiable() {
        Descriptor layer = Descriptor.of(new MediaType(OCI_LAYER_TYPE), Digest.parse(LAYER_1), 1);
        Descriptor config = Descriptor.of(new MediaType(OCI_CONFIG_TYPE), Digest.parse(CONFIG), 2);
        List<Descriptor> layers = new ArrayList<>(List.of(layer));
        Map<String, String> annotations = new HashMap<>(Map.of("k", "v"));
        Manifest manifest = new Manifest(Digest.parse(CHILD_1), MediaType.OCI_MANIFEST, new byte[0],
                Optional.of(config), layers, List.of(), Optional.empty(), Optional.empty(), annotations);
        layers.clear();
        annotations.clear();
        assertEquals(List.of(layer), manifest.layers());
        assertEquals(Map.of("k", "v"), manifest.annotations());
        assertEquals(List.of(config, layer), manifest.blobReferences());
        assertThrows(UnsupportedOperationException.class, () -> manifest.layers().add(layer));
        assertThrows(UnsupportedOperationException.class, () -> manifest.annotations().put("x", "y"));
    }
}
