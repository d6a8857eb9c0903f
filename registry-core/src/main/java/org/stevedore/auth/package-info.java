/**
 * The access-control SPI: an {@link org.stevedore.auth.AccessController} decides each request
 * from its credentials and the {@link org.stevedore.auth.Access}es its route needs. Core holds
 * only the SPI; htpasswd, tokens and access rules live in the registry-auth module.
 */
package org.stevedore.auth;
