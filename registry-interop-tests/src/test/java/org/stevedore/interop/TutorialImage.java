package org.stevedore.interop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

/**
 * The tutorial's image, made without any network: a base layer that is a root file system holding
 * only a statically linked busybox (Debian's busybox-static), imported from a tarball, and a build
 * context whose Dockerfile adds a second layer with {@link #MESSAGE} and runs {@code cat} on it.
 */
final class TutorialImage {
    /** What the image's default command prints, and what its second layer holds. */
    static final String MESSAGE = "hello from the Stevedore tutorial";
    /** The image's default command: {@code cat} of the message layer. */
    static final String CMD = "CMD [\"/bin/busybox\", \"cat\", \"/message.txt\"]";

    private final Path baseTarball;
    private final Path context;

    private TutorialImage(Path baseTarball, Path context) {
        this.baseTarball = baseTarball;
        this.context = context;
    }

    /**
     * Writes the base tarball and a build context under {@code work}; the Dockerfile starts
     * {@code FROM baseName}, the name the base is imported as.
     */
    static TutorialImage create(Path work, String baseName) throws IOException {
        Path busybox = Processes.requireTool("/bin/busybox",
                "Install it with `apt-get install busybox-static` (scripts/test does this in CI).");
        Path rootfs = Files.createDirectories(work.resolve("rootfs/bin"));
        Files.copy(busybox, rootfs.resolve("busybox"), StandardCopyOption.COPY_ATTRIBUTES);
        Path tarball = work.resolve("base.tar");
        Processes.runOk(List.of(Processes.requireTool("tar", "It is part of every Debian system.").toString(),
                "-C", work.resolve("rootfs").toString(), "-cf", tarball.toString(), "."),
                Map.of(), Processes.DEFAULT_TIMEOUT);
        Path context = Files.createDirectories(work.resolve("context"));
        Files.writeString(context.resolve("message.txt"), MESSAGE + "\n");
        Files.writeString(context.resolve("Dockerfile"),
                "FROM " + baseName + "\nCOPY message.txt /message.txt\n" + CMD + "\n");
        return new TutorialImage(tarball, context);
    }

    /** The base layer: a tarball of a root file system, for {@code docker import}/{@code podman import}. */
    Path baseTarball() {
        return baseTarball;
    }

    /** The build context holding the Dockerfile and the second layer's file. */
    Path context() {
        return context;
    }
}
