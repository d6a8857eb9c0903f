/**
 * Governing what a registry holds: immutable tags ({@link org.stevedore.policies.ImmutableTags},
 * a {@link org.stevedore.service.ManifestGuard}) and retention
 * ({@link org.stevedore.policies.RetentionPlanner} decides, {@link org.stevedore.policies.Retention}
 * carries the plan out). Decisions are pure functions of what is in storage plus the rules, so
 * a dry run prints exactly what a run does; every piece of state lives in the storage driver,
 * so the policies hold with many nodes over one store. registry-core does not depend on this
 * module; the launcher wires it in from the {@code policies} configuration section.
 */
package org.stevedore.policies;
