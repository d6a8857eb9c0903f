package org.stevedore.copy;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where an image is: {@code docker://HOST/NAME:TAG} (or {@code @DIGEST}), {@code oci:DIR[:TAG]} or
 * {@code docker-archive:FILE[:NAME:TAG]}. Published API.
 */
public sealed interface ImageLocation {

    /** An image in a registry. */
    record Registry(String host, String repository, String reference) implements ImageLocation {
        @Override
        public String toString() {
            return "docker://" + host + "/" + repository + (reference.contains(":") ? "@" : ":") + reference;
        }
    }

    /** An image in an OCI image layout directory, named by tag (or the layout's only image). */
    record OciLayout(Path directory, Optional<String> tag) implements ImageLocation {
        @Override
        public String toString() {
            return "oci:" + directory + tag.map(t -> ":" + t).orElse("");
        }
    }

    /**
     * A {@code docker save} archive: as a source, its only image or the one {@code name} tags
     * (OCI layouts in a tar, as Docker 25 saves them, are read too); as a destination, a new
     * archive holding one image tagged {@code name}.
     */
    record DockerArchive(Path file, Optional<String> name) implements ImageLocation {
        @Override
        public String toString() {
            return "docker-archive:" + file + name.map(n -> ":" + n).orElse("");
        }
    }

    /** Parses skopeo's transport syntax. */
    static ImageLocation parse(String text) {
        if (text.startsWith("docker://")) {
            String rest = text.substring("docker://".length());
            int slash = rest.indexOf('/');
            if (slash <= 0) throw new IllegalArgumentException("docker:// needs HOST/NAME: " + text);
            String host = rest.substring(0, slash);
            String path = rest.substring(slash + 1);
            int at = path.indexOf('@');
            int colon = path.lastIndexOf(':');
            if (at > 0) return new Registry(host, path.substring(0, at), path.substring(at + 1));
            if (colon > path.lastIndexOf('/')) return new Registry(host, path.substring(0, colon), path.substring(colon + 1));
            return new Registry(host, path, "latest");
        }
        if (text.startsWith("oci:")) {
            String rest = text.substring("oci:".length());
            int colon = rest.lastIndexOf(':');
            if (colon > 0 && !rest.substring(colon + 1).contains("/")) {
                return new OciLayout(Path.of(rest.substring(0, colon)), Optional.of(rest.substring(colon + 1)));
            }
            return new OciLayout(Path.of(rest), Optional.empty());
        }
        if (text.startsWith("docker-archive:")) {
            // skopeo's rule: the path ends at the first colon, the rest names the image.
            String rest = text.substring("docker-archive:".length());
            int colon = rest.indexOf(':');
            if (rest.isEmpty() || colon == 0) throw new IllegalArgumentException("docker-archive: needs a FILE: " + text);
            if (colon < 0) return new DockerArchive(Path.of(rest), Optional.empty());
            String name = rest.substring(colon + 1);
            if (!name.contains(":")) throw new IllegalArgumentException("docker-archive:FILE:NAME needs NAME:TAG: " + text);
            return new DockerArchive(Path.of(rest.substring(0, colon)), Optional.of(name));
        }
        throw new IllegalArgumentException(
                "unsupported location (docker://HOST/NAME:TAG, oci:DIR:TAG or docker-archive:FILE[:NAME:TAG]): " + text);
    }
}
