/**
 * Images in and out of a registry's storage without HTTP or a daemon: OCI image layouts (a
 * directory or a tar) and {@code docker save} archives, for tests and air-gapped transfer.
 * Entry points: {@link org.stevedore.images.ImageArchives} (import, export),
 * {@link org.stevedore.images.ImageArchiveReader} (an archive as manifests and blobs by digest),
 * {@link org.stevedore.images.DockerArchiveWriter} (an image as a {@code docker load} archive).
 * Published API.
 */
package org.stevedore.images;
