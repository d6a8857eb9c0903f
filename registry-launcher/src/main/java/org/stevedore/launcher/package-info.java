/**
 * The {@code stevedore} command: argument parsing (picocli); distribution's {@code config.yml}
 * and {@code REGISTRY_*} variables read into a checked {@code RegistryConfig} ({@code
 * ConfigLoader}, {@code EnvironmentOverrides}, {@code ConfigReader}); wiring of core, storage, TLS
 * and auth (through the {@code AuthFactory} and {@code S3StorageFactory} seams) into a running
 * server; logging backend choice and process lifecycle (signals, exit codes). Nothing depends on
 * this package; registry rules belong in core.
 */
package org.stevedore.launcher;
