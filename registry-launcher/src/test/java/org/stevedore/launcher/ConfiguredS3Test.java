package org.stevedore.launcher;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** distribution's {@code storage.s3} parameters reach the S3 module, and its refusals name the section. */
class ConfiguredS3Test {
    @Test
    void missingBucketStopsStartupNamingTheSection() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> new ConfiguredS3().create(Map.of("region", "us-east-1"), false));
        assertTrue(e.getMessage().startsWith("storage.s3: "), e.getMessage());
        assertTrue(e.getMessage().contains("bucket"), e.getMessage());
    }

    @Test
    void unknownKeyStopsStartupNamingIt() {
        ConfigException e = assertThrows(ConfigException.class, () -> new ConfiguredS3().create(
                Map.of("region", "us-east-1", "bucket", "images", "bukket", "typo"), false));
        assertTrue(e.getMessage().contains("bukket"), e.getMessage());
    }
}
