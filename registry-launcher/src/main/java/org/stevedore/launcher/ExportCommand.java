package org.stevedore.launcher;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.stevedore.images.ImageArchives;
import org.stevedore.model.Digest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code stevedore export NAME:REFERENCE TARGET [CONFIG]}: writes a stored image (every platform
 * of an index) into an OCI layout directory that skopeo, podman and {@code stevedore import} read.
 */
@Command(name = "export",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {"Writes a stored image into an OCI layout directory (created, or added to).",
                "Reads the configuration as serve does (CONFIG or REGISTRY_CONFIGURATION_PATH, then REGISTRY_*)."})
final class ExportCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME:REFERENCE", description = "library/app:1 or library/app@sha256:...")
    private String source;

    @Parameters(index = "1", paramLabel = "TARGET", description = "OCI layout directory")
    private Path target;

    @Mixin
    private final StoreOptions storeOptions;

    ExportCommand(Map<String, String> environment, S3StorageFactory s3) {
        this.storeOptions = new StoreOptions(environment, s3);
    }

    @Override
    public Integer call() throws Exception {
        NameAndReference name = NameAndReference.parse(spec.commandLine(), source, true);
        PrintWriter out = spec.commandLine().getOut();
        try (ConfiguredStore store = storeOptions.open()) {
            Digest digest = ImageArchives.over(store.service()).exportImage(name.name(), name.reference(), target);
            out.println("exported " + source + " " + digest + " to " + target);
        }
        out.flush();
        return 0;
    }
}
