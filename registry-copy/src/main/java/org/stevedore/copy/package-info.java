/**
 * Copies images between registries, OCI layouts and {@code docker save} archives without a daemon,
 * for CI tooling: Basic and token authentication with docker's stored credentials and credential
 * helpers, certificate directories, retries that honour {@code Retry-After}, cross-repository
 * mounts, blobs streamed and copied in parallel within a bound. Entry point:
 * {@link org.stevedore.copy.ImageCopy}. Published API.
 */
package org.stevedore.copy;
