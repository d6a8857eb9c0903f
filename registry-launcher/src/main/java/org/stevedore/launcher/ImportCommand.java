package org.stevedore.launcher;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.stevedore.images.ImageArchives;
import org.stevedore.images.ImportedImage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code stevedore import SOURCE NAME:TAG [CONFIG]}: stores an OCI layout (directory or tar) or a
 * {@code docker save} archive in the configured store, without a server or any client, for
 * air-gapped transfer and CI. Safe while a server runs on the same store: writes are a push's.
 */
@Command(name = "import",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {"Stores an image from an OCI layout (directory or tar) or a docker save archive.",
                "Reads the configuration as serve does (CONFIG or REGISTRY_CONFIGURATION_PATH, then REGISTRY_*)."})
final class ImportCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SOURCE", description = "OCI layout directory, OCI layout tar or docker save tar")
    private Path source;

    @Parameters(index = "1", paramLabel = "NAME:TAG", description = "where to store it, e.g. library/app:1")
    private String target;

    @Mixin
    private final StoreOptions storeOptions;

    ImportCommand(Map<String, String> environment, S3StorageFactory s3) {
        this.storeOptions = new StoreOptions(environment, s3);
    }

    @Override
    public Integer call() throws Exception {
        NameAndReference name = NameAndReference.parse(spec.commandLine(), target, false);
        PrintWriter out = spec.commandLine().getOut();
        try (ConfiguredStore store = storeOptions.open()) {
            if (store.config().storage().readOnly()) throw new ConfigException("storage is read-only (maintenance.readonly)");
            ImportedImage imported = ImageArchives.over(store.service()).importImage(source, name.name(), name.reference());
            out.println("imported " + name.name() + ":" + name.reference() + " " + imported.digest());
        }
        out.flush();
        return 0;
    }
}
