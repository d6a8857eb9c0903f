/** The front door: {@link org.stevedore.registry.Registry} and its builder. Published API. */
package org.stevedore.registry;
