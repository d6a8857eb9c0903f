package org.stevedore.health;

/**
 * One probe of something the registry needs. Returns normally when healthy; throws when not, the
 * exception's message being what {@code /debug/health} shows. May block up to its own timeout.
 */
@FunctionalInterface
public interface HealthCheck {
    void check() throws Exception;
}
