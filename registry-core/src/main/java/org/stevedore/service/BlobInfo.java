package org.stevedore.service;

import org.stevedore.model.Digest;

/** A blob known to a repository: its digest and size in bytes. */
public record BlobInfo(Digest digest, long size) {
}
