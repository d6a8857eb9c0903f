/**
 * The registry's vocabulary as validated value types: digests, repository names, tags, media
 * types, descriptors and manifests. An instance exists only if it is valid; parse at the edge.
 */
package org.stevedore.model;
