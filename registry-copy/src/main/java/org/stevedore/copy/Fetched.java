package org.stevedore.copy;

import org.stevedore.model.Digest;

/** A manifest as read from a source: exact bytes, media type and digest. */
record Fetched(byte[] bytes, String mediaType, Digest digest) {
}
