/**
 * Bearer tokens as in distribution's token authentication: verifying JWS tokens from a token
 * server (signing keys from a root certificate bundle and/or a JSON Web Key Set file), and a
 * built-in token server that issues them.
 */
package org.stevedore.auth.token;
