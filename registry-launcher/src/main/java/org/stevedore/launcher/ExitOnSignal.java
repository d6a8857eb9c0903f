package org.stevedore.launcher;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Makes SIGTERM and SIGINT end the process with exit code 0 after the shutdown hooks ran.
 *
 * <p>Why: the JVM's own handler exits with 128 + signal (143 for SIGTERM), so a stop that drained
 * every request cleanly would look like a failure to supervisors and to CI. distribution exits 0
 * on both signals, and so do we. {@code System.exit(0)} still runs the shutdown hooks, which close
 * the registry. {@code sun.misc.Signal} lives in {@code jdk.unsupported}, which JEP 260 keeps
 * accessible for exactly this; if a signal cannot be handled (e.g. under {@code -Xrs}) the JVM's
 * default stays and only the exit code differs.
 */
final class ExitOnSignal {
    private static final Logger LOG = LoggerFactory.getLogger(ExitOnSignal.class);

    private ExitOnSignal() {
    }

    static void install(String... signals) {
        for (String name : signals) {
            try {
                Signal.handle(new Signal(name), signal -> System.exit(0));
            } catch (IllegalArgumentException e) {
                LOG.debug("cannot handle SIG{}: {}", name, e.getMessage());
            }
        }
    }
}
