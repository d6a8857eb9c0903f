/** Where things live in storage: {@link org.stevedore.storage.layout.StorageLayout} and nothing else. */
package org.stevedore.storage.layout;
