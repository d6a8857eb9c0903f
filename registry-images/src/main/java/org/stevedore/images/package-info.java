/**
 * Images in and out of a registry's storage without HTTP or a daemon: OCI image layouts (a
 * directory or a tar) and {@code docker save} archives, for tests and air-gapped transfer.
 * Entry point: {@link org.stevedore.images.ImageArchives}. Published API.
 */
package org.stevedore.images;
