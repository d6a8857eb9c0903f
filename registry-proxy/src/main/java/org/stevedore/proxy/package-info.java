/**
 * Pull-through cache: {@link org.stevedore.proxy.PullThroughCache}, a
 * {@link org.stevedore.service.ContentSource} over {@link org.stevedore.proxy.Upstream}s, each
 * serving the repositories under one prefix. Upstream HTTP (auth, tokens, redirects), tag
 * revalidation and blob streaming live here; registry-core only asks the source on a miss.
 */
package org.stevedore.proxy;
