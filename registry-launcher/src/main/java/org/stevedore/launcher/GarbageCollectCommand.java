package org.stevedore.launcher;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.stevedore.service.GarbageCollector;
import org.stevedore.service.RegistryService;
import org.stevedore.storage.fs.FilesystemDriver;
import org.stevedore.storage.fs.RootLock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code stevedore garbage-collect [--dry-run] [--delete-untagged] [--force] [CONFIG] [--root DIR]}:
 * distribution's offline collector, same command form and same result, over the filesystem store.
 * The configuration is read exactly as {@code serve} reads it (CONFIG or
 * {@code REGISTRY_CONFIGURATION_PATH}, then {@code REGISTRY_*}, then {@code --root}), so it cleans
 * the root the server serves. It refuses while a server writes to that root (the server holds its
 * {@link RootLock}): collecting beside a push deletes the push's blobs. The server's online
 * collection ({@code storage.maintenance.gc}) needs no stop.
 */
@Command(name = "garbage-collect",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {"Deletes blobs no manifest references, offline: refuses while a registry writes to the root"
                + " (stop it or make it read-only, or use online GC: storage.maintenance.gc).",
                "Reads the configuration as serve does: CONFIG (or REGISTRY_CONFIGURATION_PATH), REGISTRY_* variables,"
                        + " --root.",
                "Prints distribution's progress lines, then a summary and what is left to reclaim."})
final class GarbageCollectCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "CONFIG", description = "distribution's config.yml")
    private Path config;

    @Option(names = {"-d", "--dry-run"}, description = "report what would be deleted, delete nothing")
    private boolean dryRun;

    @Option(names = {"-m", "--delete-untagged"},
            description = "also delete manifests no tag reaches (index children and referrers of kept manifests stay)")
    private boolean deleteUntagged;

    @Option(names = "--root", paramLabel = "DIR", description = "storage root directory (overrides the configuration)")
    private Path root;

    @Option(names = "--force", description = "run even while a registry is serving the root (unsafe: a push in"
            + " flight can lose its blobs)")
    private boolean force;

    private final Map<String, String> environment;

    GarbageCollectCommand(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    @Override
    public Integer call() throws IOException {
        StorageConfig storage = storage();
        Path directory = filesystemRoot(storage);
        if (!java.nio.file.Files.isDirectory(directory)) {
            throw new IOException("storage root " + directory + (java.nio.file.Files.exists(directory)
                    ? " is a file, not a directory" : " not found"));
        }
        PrintWriter out = spec.commandLine().getOut();
        Optional<RootLock> lock = RootLock.forCollection(directory);
        if (lock.isEmpty() && !force) {
            throw new IOException("a registry is serving " + directory + " (it holds " + directory.resolve(
                    RootLock.FILE_NAME) + "); collecting now could delete the blobs of a push in flight."
                    + " Stop it or make it read-only (storage.maintenance.readonly.enabled: true) first,"
                    + " or let it collect online instead (storage.maintenance.gc.enabled: true);"
                    + " --force runs anyway");
        }
        if (lock.isEmpty()) {
            spec.commandLine().getErr().println("warning: --force: collecting while a registry serves " + directory);
            spec.commandLine().getErr().flush();
        }
        try {
            RegistryService service = RegistryService.over(FilesystemDriver.at(directory));
            GarbageCollector.Report report = service.garbageCollector()
                    .run(new GarbageCollector.Options(dryRun, deleteUntagged, Duration.ZERO), out::println);
            out.println(summary(report));
            StorageLeftovers.print(directory, storage.uploadPurging().age(), out);
        } finally {
            if (lock.isPresent()) lock.get().close();
        }
        out.flush();
        return 0;
    }

    private String summary(GarbageCollector.Report report) {
        String verb = dryRun ? "would delete " : "deleted ";
        return (dryRun ? "Dry run, nothing deleted: " : "Done: ") + verb + report.manifestsDeleted() + " manifest"
                + (report.manifestsDeleted() == 1 ? "" : "s") + " and " + report.blobsDeleted() + " blob"
                + (report.blobsDeleted() == 1 ? "" : "s") + " (" + HumanSize.of(report.bytesFreed()) + "), kept "
                + report.manifestsKept() + " manifest" + (report.manifestsKept() == 1 ? "" : "s") + " and "
                + report.blobsKept() + " blob" + (report.blobsKept() == 1 ? "" : "s");
    }

    /** The storage section as serve would run with it, warnings printed as serve prints them. */
    private StorageConfig storage() {
        ConfigLoader.Loaded loaded;
        try {
            loaded = ConfigLoader.load(Optional.ofNullable(config), environment);
        } catch (ConfigException e) {
            throw new ConfigException("configuration error: " + e.getMessage(), e);
        }
        PrintWriter err = spec.commandLine().getErr();
        for (String warning : loaded.warnings()) err.println("warning: " + warning);
        err.flush();
        StorageConfig storage = loaded.config().storage();
        return root == null ? storage : storage.withDriver(new StorageConfig.Driver.Filesystem(root));
    }

    private static Path filesystemRoot(StorageConfig storage) {
        if (storage.driver() instanceof StorageConfig.Driver.Filesystem fs) return fs.root().toAbsolutePath().normalize();
        String kind = storage.driver() instanceof StorageConfig.Driver.S3 ? "S3" : "in-memory";
        throw new ConfigException("offline garbage-collect works on filesystem storage only, and this configuration"
                + " uses " + kind + " storage; let the server collect online instead:"
                + " storage.maintenance.gc.enabled: true (README: Deleting content and collecting garbage)");
    }

}
