/**
 * distribution's health checks: {@link org.stevedore.health.HealthChecks} runs named checks
 * periodically (storage driver, file, HTTP, TCP), tells the registry it is unavailable while one
 * fails ({@link org.stevedore.registry.Availability}), and {@link org.stevedore.health.HealthHandler}
 * serves {@code /debug/health}.
 */
package org.stevedore.health;
