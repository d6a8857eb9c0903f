package org.stevedore.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

/**
 * An image manifest and the digests it references, as written to or read from an OCI layout.
 *
 * @param manifestDigest {@code sha256:…} of {@code manifest}
 * @param manifest the exact manifest bytes
 * @param configDigest the config blob's digest
 * @param layerDigests the layer blobs' digests, in manifest order
 */
record OciImage(String manifestDigest, byte[] manifest, String configDigest, List<String> layerDigests) {
    static final String MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";
    static final String CONFIG_TYPE = "application/vnd.oci.image.config.v1+json";
    static final String LAYER_TYPE = "application/vnd.oci.image.layer.v1.tar+gzip";

    OciImage {
        layerDigests = List.copyOf(layerDigests);
    }

    /** Config first, then the layers. */
    List<String> blobDigests() {
        List<String> all = new ArrayList<>();
        all.add(configDigest);
        all.addAll(layerDigests);
        return all;
    }

    /** Asserts that {@code pulled} is this image: same manifest bytes and digest, same blobs. */
    void assertSameAs(OciImage pulled) {
        assertEquals(manifestDigest, pulled.manifestDigest(), "manifest digest");
        assertArrayEquals(manifest, pulled.manifest(), "manifest bytes");
        assertEquals(blobDigests(), pulled.blobDigests(), "config and layer digests");
    }
}
