package org.stevedore.launcher;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import org.stevedore.error.RegistryException;
import org.stevedore.model.RepositoryName;
import org.stevedore.policies.RepositoryDeletion;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code stevedore delete-repository NAME [CONFIG] [--force]}: removes a repository's tags,
 * manifests and links (blobs go at the next garbage collection); refused while it holds tags an
 * immutable rule covers, unless {@code --force}.
 */
@Command(name = "delete-repository",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {"Removes a repository's tags, manifests and links; blobs go at the next garbage collection.",
                "Refused while it holds immutable tags, unless --force."})
final class DeleteRepositoryCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "the repository, e.g. team/app")
    private String name;

    @Option(names = "--force", description = "delete even when immutable tags are in it")
    private boolean force;

    @Mixin
    private final StoreOptions storeOptions;

    DeleteRepositoryCommand(Map<String, String> environment, S3StorageFactory s3) {
        this.storeOptions = new StoreOptions(environment, s3);
    }

    @Override
    public Integer call() throws Exception {
        RepositoryName repository;
        try {
            repository = RepositoryName.of(name);
        } catch (RuntimeException e) {
            throw new ParameterException(spec.commandLine(), "'" + name + "' is not a repository name");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (ConfiguredStore store = storeOptions.open()) {
            RepositoryDeletion.Outcome outcome = RepositoryDeletion.delete(store.service(), repository,
                    store.config().policies().immutableTags(), force);
            out.println("Deleted " + repository + ": " + outcome.tags() + " tags, " + outcome.manifests()
                    + " manifests; its blobs go at the next garbage collection");
        } catch (RegistryException e) {
            throw new IllegalStateException(e.clientMessage() + e.detail().map(d -> ": " + d).orElse(""), e);
        }
        out.flush();
        return 0;
    }
}
