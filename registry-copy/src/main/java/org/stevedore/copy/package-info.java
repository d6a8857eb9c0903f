/**
 * Copies images between registries and OCI layouts without a daemon, for CI tooling: Basic and
 * token authentication, retries that honour {@code Retry-After}, cross-repository mounts, blobs
 * streamed and copied in parallel within a bound. Entry point: {@link org.stevedore.copy.ImageCopy}.
 * Published API.
 */
package org.stevedore.copy;
