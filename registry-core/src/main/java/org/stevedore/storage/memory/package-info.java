/**
 * {@link org.stevedore.storage.memory.InMemoryDriver}: the storage driver for tests and
 * throwaway registries, holding every file on the heap.
 */
package org.stevedore.storage.memory;
