package org.stevedore.launcher;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.stevedore.policies.Verifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code stevedore verify [--json] [CONFIG]}: re-hashes every blob and checks every link, tag and
 * manifest reference; exit status 1 when it finds a problem. Reads only.
 */
@Command(name = "verify",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {"Re-hashes every blob and checks every link, tag and manifest reference.",
                "Prints each problem found; exits 1 when there is one."})
final class VerifyCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--json", description = "print one JSON document instead of lines")
    private boolean json;

    @Mixin
    private final StoreOptions storeOptions;

    VerifyCommand(Map<String, String> environment, S3StorageFactory s3) {
        this.storeOptions = new StoreOptions(environment, s3);
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Verifier.Report report;
        try (ConfiguredStore store = storeOptions.open()) {
            report = new Verifier(store.service()).run(finding -> {
                if (!json) {
                    out.println(finding.line());
                    out.flush();
                }
            });
        }
        if (json) {
            List<Object> findings = report.findings().stream().map(f -> {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("kind", f.kind().word());
                entry.put("repository", f.repository().map(Object::toString).orElse(null));
                entry.put("subject", f.subject());
                entry.put("detail", f.detail());
                return (Object) entry;
            }).toList();
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("blobs", report.blobs());
            document.put("repositories", report.repositories());
            document.put("manifests", report.manifests());
            document.put("tags", report.tags());
            document.put("findings", findings);
            CommandOutput.json(out, document);
        } else {
            out.println(report.summary());
            out.flush();
        }
        return report.findings().isEmpty() ? 0 : 1;
    }
}
