package org.stevedore.storage;

import java.util.Map;

/**
 * Makes a storage driver from the parameters of its section in distribution's configuration
 * ({@code storage.s3: {region: ..., bucket: ...}}), as distribution's driver factories do. Drivers
 * with heavy dependencies (S3: the AWS SDK) provide one through {@link java.util.ServiceLoader}, so
 * a launcher can load them, and their libraries, only when the configuration names them.
 * Embedding code that knows its driver calls the driver's own factory methods instead.
 */
public interface StorageDriverFactory {
    /** The section's name under {@code storage}, e.g. {@code s3}. */
    String name();

    /**
     * A driver ready for use; the caller closes it if it is {@link AutoCloseable}.
     *
     * @param parameters       the section's keys and values, as written
     * @param redirectDisabled distribution's {@code storage.redirect.disable}: serve blob bytes
     *                         instead of redirecting clients to the backend
     * @throws IllegalArgumentException a parameter is missing or invalid; the message names it
     */
    StorageDriver create(Map<String, Object> parameters, boolean redirectDisabled);
}
