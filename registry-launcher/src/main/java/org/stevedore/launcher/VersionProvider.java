package org.stevedore.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * Answers {@code --version}, {@code -v} and {@code stevedore version} from
 * {@code version.properties}, which the build fills in: the version, the commit it was built from
 * (marked {@code -dirty} with uncommitted changes) and when.
 */
final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
            if (in != null) properties.load(in);
        }
        String commit = value(properties, "commit") + ("true".equals(properties.getProperty("dirty")) ? "-dirty" : "");
        return new String[] {
            "stevedore " + value(properties, "version") + " (commit " + commit + ", built " + value(properties, "built") + ")",
            "Java " + Runtime.version() + " (" + System.getProperty("java.vm.vendor", "unknown vendor") + ")"};
    }

    private static String value(Properties properties, String key) {
        String value = properties.getProperty(key, "");
        return value.isBlank() || value.startsWith("${") ? "unknown" : value;
    }
}
