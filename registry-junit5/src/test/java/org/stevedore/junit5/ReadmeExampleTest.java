package org.stevedore.junit5;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The README's JUnit example, as written there (plus a check and a Jib cache in a temp dir). */
class ReadmeExampleTest {
    @RegisterExtension static final RegistryExtension REGISTRY = RegistryExtension.builder().build();

    @TempDir Path work;

    @Test void pushes() throws Exception {
        Path jar = Files.writeString(work.resolve("app.jar"), "not really a jar");
        Jib.fromScratch().addLayer(List.of(jar), AbsoluteUnixPath.get("/app"))
           .containerize(Containerizer.to(RegistryImage.named(REGISTRY.hostPort() + "/demo/app:1")).setAllowInsecureRegistries(true)
                   .setApplicationLayersCache(work.resolve("cache")).setBaseImageLayersCache(work.resolve("cache")));
        assertEquals(List.of("1"), REGISTRY.registry().contents().tags("demo/app"));
    }
}
