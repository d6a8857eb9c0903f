package org.stevedore.model;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Manifest documents of each kind for the parser tests, and a way to break one field at a time. */
final class ManifestFixtures {
    static final String CONFIG = "sha256:" + "c".repeat(64);
    static final String LAYER_1 = "sha256:" + "1".repeat(64);
    static final String LAYER_2 = "sha256:" + "2".repeat(64);
    static final String CHILD_1 = "sha256:" + "a".repeat(64);
    static final String CHILD_2 = "sha256:" + "b".repeat(64);
    static final String SUBJECT = "sha256:" + "5".repeat(64);

    static final String OCI_CONFIG_TYPE = "application/vnd.oci.image.config.v1+json";
    static final String OCI_LAYER_TYPE = "application/vnd.oci.image.layer.v1.tar+gzip";
    static final String DOCKER_CONFIG_TYPE = "application/vnd.docker.container.image.v1+json";
    static final String DOCKER_LAYER_TYPE = "application/vnd.docker.image.rootfs.diff.tar.gzip";
    static final String SBOM_TYPE = "application/vnd.example.sbom.v1+json";

    /** Test documents may use single quotes; {@link #json} turns them into real JSON. */
    private static final ObjectMapper LENIENT = new ObjectMapper().enable(JsonParser.Feature.ALLOW_SINGLE_QUOTES);

    static final String OCI_MANIFEST = """
            {
              'schemaVersion': 2,
              'mediaType': 'application/vnd.oci.image.manifest.v1+json',
              'config': {'mediaType': '%s', 'digest': '%s', 'size': 7023},
              'layers': [
                {'mediaType': '%s', 'digest': '%s', 'size': 32654,
                 'annotations': {'org.opencontainers.image.title': 'base.tar.gz'}},
                {'mediaType': '%s', 'digest': '%s', 'size': 16724}
              ],
              'annotations': {'com.example.key1': 'value1', 'com.example.key2': 'value2'}
            }""".formatted(OCI_CONFIG_TYPE, CONFIG, OCI_LAYER_TYPE, LAYER_1, OCI_LAYER_TYPE, LAYER_2);

    static final String OCI_INDEX = """
            {
              'schemaVersion': 2,
              'mediaType': 'application/vnd.oci.image.index.v1+json',
              'manifests': [
                {'mediaType': 'application/vnd.oci.image.manifest.v1+json', 'digest': '%s', 'size': 7143,
                 'platform': {'architecture': 'ppc64le', 'os': 'linux'}},
                {'mediaType': 'application/vnd.oci.image.manifest.v1+json', 'digest': '%s', 'size': 7682,
                 'platform': {'architecture': 'amd64', 'os': 'linux'}}
              ],
              'annotations': {'com.example.key1': 'value1'}
            }""".formatted(CHILD_1, CHILD_2);

    static final String DOCKER_MANIFEST = """
            {
              'schemaVersion': 2,
              'mediaType': 'application/vnd.docker.distribution.manifest.v2+json',
              'config': {'mediaType': '%s', 'size': 7023, 'digest': '%s'},
              'layers': [
                {'mediaType': '%s', 'size': 32654, 'digest': '%s'},
                {'mediaType': '%s', 'size': 16724, 'digest': '%s'}
              ]
            }""".formatted(DOCKER_CONFIG_TYPE, CONFIG, DOCKER_LAYER_TYPE, LAYER_1, DOCKER_LAYER_TYPE, LAYER_2);

    static final String DOCKER_LIST = """
            {
              'schemaVersion': 2,
              'mediaType': 'application/vnd.docker.distribution.manifest.list.v2+json',
              'manifests': [
                {'mediaType': 'application/vnd.docker.distribution.manifest.v2+json', 'size': 7143,
                 'digest': '%s', 'platform': {'architecture': 'ppc64le', 'os': 'linux'}},
                {'mediaType': 'application/vnd.docker.distribution.manifest.v2+json', 'size': 7682,
                 'digest': '%s', 'platform': {'architecture': 'amd64', 'os': 'linux', 'features': ['sse4']}}
              ]
            }""".formatted(CHILD_1, CHILD_2);

    /** An OCI 1.1 artifact: empty config, an artifactType, a subject (the referrers use case). */
    static final String OCI_ARTIFACT = """
            {
              'schemaVersion': 2,
              'mediaType': 'application/vnd.oci.image.manifest.v1+json',
              'artifactType': '%s',
              'config': {'mediaType': 'application/vnd.oci.empty.v1+json',
                         'digest': 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
                         'size': 2, 'data': 'e30='},
              'layers': [{'mediaType': 'application/spdx+json', 'digest': '%s', 'size': 1234,
                          'artifactType': 'application/vnd.example.layer'}],
              'subject': {'mediaType': 'application/vnd.oci.image.manifest.v1+json', 'digest': '%s', 'size': 7682},
              'annotations': {'org.opencontainers.image.created': '2024-01-01T00:00:00Z'}
            }""".formatted(SBOM_TYPE, LAYER_1, SUBJECT);

    private ManifestFixtures() {
    }

    /** Canonical JSON bytes of a fixture. */
    static byte[] json(String lenient) {
        try {
            return LENIENT.writeValueAsBytes(LENIENT.readTree(lenient));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** {@link #with(String, String, String)} applied to an already changed document. */
    static byte[] with(byte[] changed, String pointer, String value) {
        return with(new String(changed, StandardCharsets.UTF_8), pointer, value);
    }

    /**
     * The fixture with the node at {@code pointer} set to {@code value} (lenient JSON), or removed
     * when {@code value} is null.
     */
    static byte[] with(String fixture, String pointer, String value) {
        try {
            JsonNode root = LENIENT.readTree(fixture);
            JsonPointer path = JsonPointer.compile(pointer);
            JsonNode parent = root.at(path.head());
            JsonNode replacement = value == null ? null : LENIENT.readTree(value);
            if (parent instanceof ObjectNode object) {
                String key = path.last().getMatchingProperty();
                if (replacement == null) object.remove(key); else object.set(key, replacement);
            } else if (parent instanceof ArrayNode array) {
                int index = path.last().getMatchingIndex();
                if (replacement == null) array.remove(index); else array.set(index, replacement);
            } else {
                throw new IllegalArgumentException("no container at " + path.head());
            }
            return LENIENT.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
