package org.stevedore.registry;

import java.util.Map;

/**
 * Whether the registry may serve: the failing health checks, by name, with their error. While
 * any fails, {@code /} and the {@code /v2} API answer 503 {@code UNAVAILABLE}, as distribution
 * does behind its health checks. Called for each such request on an I/O thread: implementations
 * return a snapshot at once (checks run elsewhere), are thread-safe and never block.
 */
@FunctionalInterface
public interface Availability {
    /** Always available. */
    Availability ALWAYS = Map::of;

    /** Failing checks, check name to error message; empty when healthy. */
    Map<String, String> problems();
}
