/**
 * The storage SPI: {@link org.stevedore.storage.StorageDriver} stores bytes at paths and knows
 * nothing about OCI. A new backend implements that one interface and passes the shared
 * {@code StorageDriverContract} suite of the registry-storage-tck module.
 */
package org.stevedore.storage;
