/**
 * Registry rules over a storage driver, one service per resource: blobs, upload sessions,
 * manifests, tags, the catalog. Services never see HTTP; they throw coded
 * {@link org.stevedore.error.RegistryException}s and let storage {@code IOException}s pass.
 */
package org.stevedore.service;
