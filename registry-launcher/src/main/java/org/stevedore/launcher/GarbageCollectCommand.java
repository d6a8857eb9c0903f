package org.stevedore.launcher;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.stevedore.service.GarbageCollector;
import org.stevedore.service.RegistryService;
import org.stevedore.storage.fs.FilesystemDriver;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code stevedore garbage-collect [--dry-run] [--delete-untagged] CONFIG|--root DIR}: distribution's
 * offline collector, same command form and same result, over the filesystem store. Run it with
 * the registry stopped or read-only, as distribution requires; the server's online collection
 * (see {@link GarbageCollector}) needs neither.
 */
@Command(name = "garbage-collect",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {"Deletes blobs no manifest references (offline: stop the registry or make it read-only).",
                "Prints distribution's progress lines, then a summary."})
final class GarbageCollectCommand implements Callable<Integer> {
    private static final Pattern ROOT_DIRECTORY = Pattern.compile("(?m)^\\s*rootdirectory\\s*:\\s*[\"']?([^\"'#\\s]+)");

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "CONFIG",
            description = "distribution's config.yml; only storage.filesystem.rootdirectory is read")
    private Path config;

    @Option(names = {"-d", "--dry-run"}, description = "report what would be deleted, delete nothing")
    private boolean dryRun;

    @Option(names = {"-m", "--delete-untagged"},
            description = "also delete manifests no tag reaches (index children and referrers of kept manifests stay)")
    private boolean deleteUntagged;

    @Option(names = "--root", paramLabel = "DIR", description = "storage root directory (instead of CONFIG)")
    private Path root;

    @Override
    public Integer call() throws IOException {
        Path storage = storageRoot();
        if (!Files.isDirectory(storage)) throw new IOException("storage root " + storage + " is not a directory");
        PrintWriter out = spec.commandLine().getOut();
        RegistryService service = RegistryService.over(FilesystemDriver.at(storage));
        GarbageCollector.Report report = service.garbageCollector()
                .run(new GarbageCollector.Options(dryRun, deleteUntagged, Duration.ZERO), out::println);
        out.println((dryRun ? "Dry run, nothing deleted: " : "Done: ") + report.summary());
        out.flush();
        return 0;
    }

    private Path storageRoot() throws IOException {
        if (root != null) return root;
        if (config == null) throw new ParameterException(spec.commandLine(), "Missing CONFIG or --root DIR");
        return rootDirectory(Files.readString(config, StandardCharsets.UTF_8))
                .orElseThrow(() -> new IOException(config + " has no storage.filesystem.rootdirectory"));
    }

    /** {@code storage.filesystem.rootdirectory} of a distribution config, read as plain text. */
    static Optional<Path> rootDirectory(String yaml) {
        Matcher matcher = ROOT_DIRECTORY.matcher(yaml);
        return matcher.find() ? Optional.of(Path.of(matcher.group(1))) : Optional.empty();
    }
}
