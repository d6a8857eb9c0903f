package org.stevedore.launcher;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.stevedore.policies.Retention;
import org.stevedore.policies.RetentionOutput;
import org.stevedore.policies.RetentionPlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code stevedore retention [--dry-run] [--json] [CONFIG]}: applies {@code policies.retention.rules}
 * once, reading the configuration as {@code serve} does. Safe while the registry serves: only tags
 * and manifests go, each deletion re-checked; blobs go at the next garbage collection.
 */
@Command(name = "retention",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {"Deletes the tags and manifests policies.retention does not keep (blobs go at the next GC).",
                "Prints, per repository, every tag and untagged manifest with its decision and the rule behind it."})
final class RetentionCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Spec
    private CommandSpec spec;

    @Option(names = {"-d", "--dry-run"}, description = "print the decisions, delete nothing")
    private boolean dryRun;

    @Option(names = "--json", description = "print one JSON document instead of lines")
    private boolean json;

    @Mixin
    private final StoreOptions storeOptions;

    RetentionCommand(Map<String, String> environment, S3StorageFactory s3) {
        this.storeOptions = new StoreOptions(environment, s3);
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (ConfiguredStore store = storeOptions.open()) {
            var policies = store.config().policies();
            if (policies.retention().rules().isEmpty()) {
                throw new IllegalStateException("policies.retention.rules is empty: nothing to decide");
            }
            Retention retention = new Retention(store.service(), policies, Clock.systemUTC());
            List<RetentionPlan> plans = retention.plan();
            Optional<Retention.Outcome> outcome = dryRun ? Optional.empty()
                    : Optional.of(retention.apply(plans, line -> { }));
            if (json) {
                Map<String, Object> document = new LinkedHashMap<>();
                document.put("dryRun", dryRun);
                document.putAll(RetentionOutput.document(plans));
                outcome.ifPresent(o -> document.put("outcome", Map.of("tagsDeleted", o.tagsDeleted(),
                        "manifestsDeleted", o.manifestsDeleted(), "skipped", o.skipped())));
                out.println(JSON.writeValueAsString(document));
            } else {
                RetentionOutput.lines(plans).forEach(out::println);
                if (outcome.isEmpty()) {
                    out.println("Dry run, nothing deleted: " + RetentionOutput.summary(plans));
                } else {
                    outcome.get().skipped().forEach(line -> out.println("skipped: " + line));
                    out.println("Done: deleted " + outcome.get().tagsDeleted() + " tags and "
                            + outcome.get().manifestsDeleted() + " manifests; their blobs go at the next garbage collection");
                }
            }
            out.flush();
        }
        return 0;
    }
}
