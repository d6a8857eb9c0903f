package org.stevedore.launcher;

import java.io.PrintWriter;

/** Runs a server for parsed {@code serve} options; the seam between parsing and serving. */
@FunctionalInterface
interface ServeAction {
    /**
     * Serves until the process is stopped, or returns an exit code.
     *
     * @param out where to print the start line
     */
    int serve(ServeOptions options, PrintWriter out) throws Exception;
}
