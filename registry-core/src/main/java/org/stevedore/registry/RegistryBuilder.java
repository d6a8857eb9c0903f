package org.stevedore.registry;

import java.time.Duration;
import java.util.Objects;
import org.stevedore.model.ManifestParser;
import org.stevedore.service.RegistryService;
import org.stevedore.storage.StorageDriver;
import org.stevedore.storage.memory.InMemoryDriver;

/**
 * Configuration of a {@link Registry}. Immutable: every setter returns a new builder, so one
 * builder can be shared and each {@link #start()} makes a new, independent server. Defaults suit
 * tests: loopback, any free port, in-memory storage. Published API.
 */
public final class RegistryBuilder {
    private final StorageDriver storage;
    private final String bindAddress;
    private final int port;
    private final int maxManifestBytes;
    private final int maxPageSize;
    private final int maxHeaderBytes;
    private final Duration idleTimeout;
    private final Duration drainTimeout;
    private final int ioThreads;
    private final int workerThreads;
    private final boolean accessLogAtInfo;

    RegistryBuilder() {
        this(null, "127.0.0.1", 0, ManifestParser.DEFAULT_MAX_BYTES, RegistryService.DEFAULT_MAX_PAGE_SIZE,
                64 * 1024, Duration.ofSeconds(60), Duration.ofSeconds(10),
                Math.max(2, Runtime.getRuntime().availableProcessors()),
                Math.max(16, Runtime.getRuntime().availableProcessors() * 8), false);
    }

    private RegistryBuilder(StorageDriver storage, String bindAddress, int port, int maxManifestBytes,
                            int maxPageSize, int maxHeaderBytes, Duration idleTimeout, Duration drainTimeout,
                            int ioThreads, int workerThreads, boolean accessLogAtInfo) {
        this.storage = storage;
        this.bindAddress = bindAddress;
        this.port = port;
        this.maxManifestBytes = maxManifestBytes;
        this.maxPageSize = maxPageSize;
        this.maxHeaderBytes = maxHeaderBytes;
        this.idleTimeout = idleTimeout;
        this.drainTimeout = drainTimeout;
        this.ioThreads = ioThreads;
        this.workerThreads = workerThreads;
        this.accessLogAtInfo = accessLogAtInfo;
    }

    private RegistryBuilder copy(StorageDriver storage, String bindAddress, int port, int maxManifestBytes,
                                 int maxPageSize, int maxHeaderBytes, Duration idleTimeout, Duration drainTimeout,
                                 int ioThreads, int workerThreads, boolean accessLogAtInfo) {
        return new RegistryBuilder(storage, bindAddress, port, maxManifestBytes, maxPageSize, maxHeaderBytes,
                idleTimeout, drainTimeout, ioThreads, workerThreads, accessLogAtInfo);
    }

    /** Where content is stored; default a new in-memory driver per {@link #start()}. */
    public RegistryBuilder storage(StorageDriver driver) {
        return copy(Objects.requireNonNull(driver), bindAddress, port, maxManifestBytes, maxPageSize, maxHeaderBytes,
                idleTimeout, drainTimeout, ioThreads, workerThreads, accessLogAtInfo);
    }

    /** Address to listen on; default {@code 127.0.0.1}. {@code 0.0.0.0} serves every interface. */
    public RegistryBuilder bindAddress(String address) {
        return copy(storage, Objects.requireNonNull(address), port, maxManifestBytes, maxPageSize, maxHeaderBytes,
                idleTimeout, drainTimeout, ioThreads, workerThreads, accessLogAtInfo);
    }

    /** Port to listen on; default 0, any free port ({@link Registry#port()} tells which). */
    public RegistryBuilder port(int port) {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
        return copy(storage, bindAddress, port, maxManifestBytes, maxPageSize, maxHeaderBytes, idleTimeout,
                drainTimeout, ioThreads, workerThreads, accessLogAtInfo);
    }

    /** Largest manifest accepted; default 4 MiB, as the reference registry. */
    public RegistryBuilder maxManifestBytes(int bytes) {
        if (bytes <= 0) throw new IllegalArgumentException("maxManifestBytes must be positive");
        return copy(storage, bindAddress, port, bytes, maxPageSize, maxHeaderBytes, idleTimeout, drainTimeout,
                ioThreads, workerThreads, accessLogAtInfo);
    }

    /** Most tags or repositories in one listing page; default 1000. */
    public RegistryBuilder maxPageSize(int entries) {
        if (entries <= 0) throw new IllegalArgumentException("maxPageSize must be positive");
        return copy(storage, bindAddress, port, maxManifestBytes, entries, maxHeaderBytes, idleTimeout, drainTimeout,
                ioThreads, workerThreads, accessLogAtInfo);
    }

    /** Largest request header block; default 64 KiB. */
    public RegistryBuilder maxHeaderBytes(int bytes) {
        if (bytes < 1024) throw new IllegalArgumentException("maxHeaderBytes must be at least 1024");
        return copy(storage, bindAddress, port, maxManifestBytes, maxPageSize, bytes, idleTimeout, drainTimeout,
                ioThreads, workerThreads, accessLogAtInfo);
    }

    /** Longest a connection may stay silent, mid-request or between requests; default 60 s. */
    public RegistryBuilder idleTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("idleTimeout must be positive");
        return copy(storage, bindAddress, port, maxManifestBytes, maxPageSize, maxHeaderBytes, timeout, drainTimeout,
                ioThreads, workerThreads, accessLogAtInfo);
    }

    /** How long {@link Registry#close()} lets running requests finish; default 10 s. */
    public RegistryBuilder drainTimeout(Duration timeout) {
        if (timeout.isNegative()) throw new IllegalArgumentException("drainTimeout must not be negative");
        return copy(storage, bindAddress, port, maxManifestBytes, maxPageSize, maxHeaderBytes, idleTimeout, timeout,
                ioThreads, workerThreads, accessLogAtInfo);
    }

    /** Threads: I/O (non-blocking) and workers (storage, hashing); defaults from the core count. */
    public RegistryBuilder threads(int io, int workers) {
        if (io <= 0 || workers <= 0) throw new IllegalArgumentException("thread counts must be positive");
        return copy(storage, bindAddress, port, maxManifestBytes, maxPageSize, maxHeaderBytes, idleTimeout,
                drainTimeout, io, workers, accessLogAtInfo);
    }

    /** Log one line per request at INFO, as a server does; default DEBUG, quiet when embedded. */
    public RegistryBuilder accessLogAtInfo(boolean atInfo) {
        return copy(storage, bindAddress, port, maxManifestBytes, maxPageSize, maxHeaderBytes, idleTimeout,
                drainTimeout, ioThreads, workerThreads, atInfo);
    }

    /** Starts a new server; returns once its socket is bound. */
    public Registry start() {
        return Registry.start(this);
    }

    StorageDriver storage() {
        return storage != null ? storage : InMemoryDriver.create();
    }

    String bindAddress() {
        return bindAddress;
    }

    int port() {
        return port;
    }

    int maxManifestBytes() {
        return maxManifestBytes;
    }

    int maxPageSize() {
        return maxPageSize;
    }

    int maxHeaderBytes() {
        return maxHeaderBytes;
    }

    Duration idleTimeout() {
        return idleTimeout;
    }

    Duration drainTimeout() {
        return drainTimeout;
    }

    int ioThreads() {
        return ioThreads;
    }

    int workerThreads() {
        return workerThreads;
    }

    boolean accessLogAtInfo() {
        return accessLogAtInfo;
    }
}
