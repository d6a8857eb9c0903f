package org.stevedore.service;

import org.stevedore.model.Digest;
import org.stevedore.model.MediaType;

/** A manifest as served: its digest, media type and exact bytes (do not modify them). */
public record StoredManifest(Digest digest, MediaType mediaType, byte[] bytes) {
}
