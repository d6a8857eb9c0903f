/**
 * The {@code stevedore} command: argument parsing (picocli), wiring of core and storage into a
 * running server, logging backend choice and process lifecycle (signals, exit codes). Nothing
 * depends on this package; registry rules belong in core.
 */
package org.stevedore.launcher;
