package org.stevedore.launcher;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.stevedore.policies.RepositoryUsage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code stevedore usage [--json] [CONFIG]}: per repository, bytes used, tag and manifest counts. */
@Command(name = "usage",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Prints, per repository, the bytes of the distinct blobs it references and its tag and manifest counts.")
final class UsageCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--json", description = "print one JSON document instead of lines")
    private boolean json;

    @Mixin
    private final StoreOptions storeOptions;

    UsageCommand(Map<String, String> environment, S3StorageFactory s3) {
        this.storeOptions = new StoreOptions(environment, s3);
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (ConfiguredStore store = storeOptions.open()) {
            List<RepositoryUsage> usage = RepositoryUsage.all(store.service());
            var policies = store.config().policies();
            if (json) {
                List<Object> repositories = new ArrayList<>();
                for (RepositoryUsage repository : usage) {
                    Map<String, Object> entry = new LinkedHashMap<>();
                    entry.put("name", repository.name().value());
                    entry.put("bytes", repository.bytes());
                    entry.put("blobs", repository.blobs());
                    entry.put("tags", repository.tags());
                    entry.put("manifests", repository.manifests());
                    var quota = policies.quotaFor(repository.name());
                    entry.put("quota", quota.isPresent() ? quota.getAsLong() : null);
                    repositories.add(entry);
                }
                CommandOutput.json(out, Map.of("repositories", repositories));
                return 0;
            }
            for (RepositoryUsage repository : usage) {
                var quota = policies.quotaFor(repository.name());
                out.println(repository.name() + ": " + org.stevedore.policies.ByteSize.text(repository.bytes()) + " (" + repository.bytes()
                        + " bytes in " + repository.blobs() + " blobs)"
                        + (quota.isPresent() ? " of " + org.stevedore.policies.ByteSize.text(quota.getAsLong()) + " quota" : "") + ", "
                        + repository.tags() + " tags, " + repository.manifests() + " manifests");
            }
            out.flush();
        }
        return 0;
    }
}
