/**
 * {@link org.stevedore.storage.fs.FilesystemDriver}: storage in a local directory, laid out as the
 * reference registry lays it out, so existing registry directories are served unchanged.
 */
package org.stevedore.storage.fs;
