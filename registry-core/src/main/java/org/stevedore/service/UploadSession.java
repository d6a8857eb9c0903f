package org.stevedore.service;

import org.stevedore.model.RepositoryName;

/**
 * An upload session as the client sees it: the repository, the session id, and how many bytes
 * have been received so far.
 */
public record UploadSession(RepositoryName name, String id, long offset) {
}
