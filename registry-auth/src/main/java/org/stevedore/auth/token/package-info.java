/**
 * Bearer tokens as in distribution's token authentication: verifying JWS tokens from a token
 * server, and a built-in token server that issues them.
 */
package org.stevedore.auth.token;
