package org.stevedore.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stevedore.model.Descriptor;
import org.stevedore.model.MediaType;
import org.stevedore.registry.fixtures.Fixtures;
import org.stevedore.registry.fixtures.ImageSpec;
import org.stevedore.registry.fixtures.Platform;
import org.stevedore.registry.fixtures.PushedImage;
import org.stevedore.registry.fixtures.PushedIndex;
import org.stevedore.service.RegistryService;
import org.stevedore.storage.memory.InMemoryDriver;

/** With registry-images on the class path, Fixtures imports and exports real archives, digests unchanged. */
class FixturesArchiveProviderTest {
    @TempDir
    Path work;

    @Test
    void fixturesExportAndImportThroughThisModule() {
        Fixtures source = Fixtures.over(RegistryService.over(InMemoryDriver.create()));
        Fixtures target = Fixtures.over(RegistryService.over(InMemoryDriver.create()));
        PushedImage image = source.pushImage("demo/app", "1", ImageSpec.layers(5000).seed(13));
        PushedIndex index = source.pushIndex("demo/multi", "1", ImageSpec.layers(100).seed(14),
                Platform.LINUX_AMD64, Platform.LINUX_ARM64);
        Path layout = work.resolve("layout");
        assertEquals(image.manifest(), source.exportImage("demo/app", "1", layout));
        source.exportImage("demo/multi", "1", work.resolve("multi"));

        Descriptor imported = target.importImage(layout, "copied/app", "1");
        assertEquals(image.manifest(), imported.digest());
        assertEquals(image.manifestSize(), imported.size());
        Descriptor multi = target.importImage(work.resolve("multi"), "copied/multi", "1");
        assertEquals(index.index(), multi.digest());
        assertEquals(MediaType.OCI_INDEX, multi.mediaType());
    }

    @Test
    void aSourceThatIsNoArchiveFailsWithTheReason() throws Exception {
        Path text = Files.writeString(work.resolve("notes.txt"), "words, not a tar, not anything else");
        Fixtures fixtures = Fixtures.over(RegistryService.over(InMemoryDriver.create()));
        UncheckedIOException failed = assertThrows(UncheckedIOException.class,
                () -> fixtures.importImage(text, "demo/app", "1"));
        assertTrue(failed.getCause() instanceof ImageArchiveException, failed.toString());
        assertTrue(failed.getMessage().contains(text.toString()), failed.getMessage());
    }
}
