package org.stevedore.launcher;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code stevedore version}: the same lines as {@code stevedore --version}. */
@Command(name = "version", description = "Print the version, commit and build date.")
final class VersionCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        for (String line : new VersionProvider().getVersion()) out.println(line);
        out.flush();
        return 0;
    }
}
