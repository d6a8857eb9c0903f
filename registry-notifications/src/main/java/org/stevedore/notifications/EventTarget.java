package org.stevedore.notifications;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stevedore.error.RegistryException;
import org.stevedore.model.MediaType;
import org.stevedore.service.BlobInfo;
import org.stevedore.service.RegistryService;
import org.stevedore.service.StoredManifest;

/**
 * What an event's {@code target} says about the content beyond its name: media type, size and,
 * with {@code includereferences}, the descriptors a manifest refers to. Looked up from storage on
 * the notifier's thread, never on a request's.
 *
 * @param mediaType  a manifest's media type; for blobs {@code application/octet-stream}, which is
 *                   what distribution reports for every blob (its blob store keeps no media type)
 * @param size       the content's size in bytes, when known
 * @param references a manifest's config and layers, or an index's manifests, as its JSON has them
 */
record EventTarget(Optional<String> mediaType, OptionalLong size, List<JsonNode> references) {
    private static final Logger LOG = LoggerFactory.getLogger(EventTarget.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final EventTarget UNKNOWN = new EventTarget(Optional.empty(), OptionalLong.empty(), List.of());

    EventTarget {
        references = List.copyOf(references);
    }

    /** The target of {@code event}; what cannot be found (content deleted since) is left out. */
    static EventTarget lookUp(PendingEvent event, RegistryService service, boolean includeReferences) {
        if (event.action() == Action.DELETE || event.digest().isEmpty()) return UNKNOWN;
        try {
            if (event.content() == PendingEvent.Content.BLOB) {
                Optional<BlobInfo> blob = service.blobs().find(event.repository(), event.digest().get());
                return new EventTarget(Optional.of(MediaType.OCTET_STREAM.value()),
                        blob.map(b -> OptionalLong.of(b.size())).orElse(OptionalLong.empty()), List.of());
            }
            StoredManifest manifest = service.manifests().get(event.repository(), event.digest().get());
            return new EventTarget(Optional.of(manifest.mediaType().value()), OptionalLong.of(manifest.bytes().length),
                    includeReferences ? references(manifest.bytes()) : List.of());
        } catch (RegistryException | IOException e) {
            LOG.debug("notification target {}@{} not found: {}", event.repository(), event.digest().get(),
                    e.getMessage());
            return event.content() == PendingEvent.Content.BLOB
                    ? new EventTarget(Optional.of(MediaType.OCTET_STREAM.value()), OptionalLong.empty(), List.of())
                    : UNKNOWN;
        }
    }

    /** distribution's {@code Manifest.References()}: config then layers, or an index's manifests. */
    private static List<JsonNode> references(byte[] manifest) {
        List<JsonNode> references = new ArrayList<>();
        try {
            JsonNode root = JSON.readTree(manifest);
            if (root.path("manifests").isArray()) {
                root.path("manifests").forEach(references::add);
            } else {
                if (root.path("config").isObject()) references.add(root.path("config"));
                root.path("layers").forEach(references::add);
            }
        } catch (IOException unparseable) {
            // Stored manifests were parsed on push; a schema 1 or odd one simply lists nothing.
        }
        return references;
    }
}
