/**
 * The distribution API on Undertow: {@link org.stevedore.http.V2Router} parses paths into typed
 * routes, one thin handler per resource calls one service, {@link org.stevedore.http.ErrorWriter}
 * renders every error. Handlers never build storage paths.
 */
package org.stevedore.http;
