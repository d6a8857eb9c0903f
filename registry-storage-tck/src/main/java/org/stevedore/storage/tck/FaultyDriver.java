package org.stevedore.storage.tck;

import static org.stevedore.storage.tck.Fault.BROKEN_READ;
import static org.stevedore.storage.tck.Fault.DISK_FULL;
import static org.stevedore.storage.tck.Fault.IO_ERROR;
import static org.stevedore.storage.tck.Fault.LOST_REPLY;
import static org.stevedore.storage.tck.Fault.SLOW;
import static org.stevedore.storage.tck.Fault.UNAVAILABLE;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.stevedore.storage.AppendWriter;
import org.stevedore.storage.HiddenWriter;
import org.stevedore.storage.Content;
import org.stevedore.storage.FileInfo;
import org.stevedore.storage.SmallFile;
import org.stevedore.storage.StorageDriver;

/**
 * A {@link StorageDriver} decorator that injects storage failures: I/O errors, outages, a full
 * disk, short writes, reads that break part-way, changes whose reply is lost, and slowness; on
 * every call of the SPI and of the writers and content it hands out, each with the given
 * probability, from a seeded random sequence. For tests of what the layers above make of failing
 * storage, over any driver:
 *
 * <pre>{@code
 * FaultyDriver storage = FaultyDriver.over(FilesystemDriver.at(dir)).seed(7).probability(0.05).build();
 * try (Registry registry = Registry.builder().storage(storage).start()) {
 *     ... push and pull; then storage.setActive(false) and check what is visible
 * }
 * }</pre>
 *
 * <p>A fault strikes before the call reaches the wrapped driver, except {@link Fault#LOST_REPLY}
 * (after a change was made), {@link Fault#SHORT_WRITE} (after part of a buffer was written) and
 * {@link Fault#BROKEN_READ} (while reading). The wrapped driver's own guarantees (atomic
 * {@code writeSmall}, uncommitted appends discarded) are kept: these are the failures a correct
 * driver can report. Thread-safe; counts of injected faults are kept per kind.
 */
public final class FaultyDriver implements StorageDriver {
    private static final Set<Fault> READ = EnumSet.of(IO_ERROR, UNAVAILABLE, SLOW);
    private static final Set<Fault> OPEN = EnumSet.of(IO_ERROR, UNAVAILABLE, SLOW, BROKEN_READ);
    private static final Set<Fault> CHANGE = EnumSet.of(IO_ERROR, UNAVAILABLE, SLOW, DISK_FULL, LOST_REPLY);
    private static final Set<Fault> DELETE = EnumSet.of(IO_ERROR, UNAVAILABLE, SLOW, LOST_REPLY);
    private static final Set<Fault> APPEND = EnumSet.of(IO_ERROR, UNAVAILABLE, SLOW, DISK_FULL);

    private final StorageDriver delegate;
    private final FaultInjector injector;

    private FaultyDriver(StorageDriver delegate, FaultInjector injector) {
        this.delegate = delegate;
        this.injector = injector;
    }

    /** Starts a decorator over {@code delegate}. */
    public static Builder over(StorageDriver delegate) {
        return new Builder(Objects.requireNonNull(delegate, "delegate"));
    }

    /** Settings of a {@link FaultyDriver}: seed 0, probability 0.05, every fault, delays up to 20 ms. */
    public static final class Builder {
        private final StorageDriver delegate;
        private long seed;
        private double probability = 0.05;
        private Set<Fault> faults = EnumSet.allOf(Fault.class);
        private Duration maxDelay = Duration.ofMillis(20);

        private Builder(StorageDriver delegate) {
            this.delegate = delegate;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Chance in {@code [0, 1]} that any one call suffers a fault. */
        public Builder probability(double probability) {
            this.probability = probability;
            return this;
        }

        /** The kinds of fault to inject; the others never strike. */
        public Builder faults(Set<Fault> faults) {
            this.faults = EnumSet.noneOf(Fault.class);
            this.faults.addAll(faults);
            return this;
        }

        /** The longest delay of a {@link Fault#SLOW} call. */
        public Builder maxDelay(Duration maxDelay) {
            this.maxDelay = Objects.requireNonNull(maxDelay, "maxDelay");
            return this;
        }

        public FaultyDriver build() {
            return new FaultyDriver(delegate, new FaultInjector(seed, probability, faults, maxDelay));
        }
    }

    /** The wrapped driver, for checks that must not suffer faults. */
    public StorageDriver delegate() {
        return delegate;
    }

    /** Turns injection on (the initial state) or off; calls then pass straight through. */
    public void setActive(boolean active) {
        injector.setActive(active);
    }

    /** How many faults of each kind were injected so far. */
    public Map<Fault, Long> injectedCounts() {
        return injector.counts();
    }

    /** How many faults were injected so far, slow calls included. */
    public long injected() {
        return injector.counts().values().stream().mapToLong(Long::longValue).sum();
    }

    /** Injects before the call, unless the fault is one that strikes later; returns that one. */
    Optional<Fault> before(String operation, String path, Set<Fault> applicable) throws IOException {
        Optional<Fault> fault = injector.draw(applicable);
        if (fault.isEmpty()) return fault;
        Fault f = fault.get();
        if (f == LOST_REPLY || f == Fault.SHORT_WRITE || f == BROKEN_READ) return fault;
        injector.strike(f, operation, path);
        return Optional.empty();
    }

    FaultInjector injector() {
        return injector;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public Optional<FileInfo> stat(String path) throws IOException {
        before("stat", path, READ);
        return delegate.stat(path);
    }

    @Override
    public Optional<FileInfo> statFile(String path) throws IOException {
        before("stat", path, READ);
        return delegate.statFile(path);
    }

    @Override
    public byte[] readSmall(String path, int maxBytes) throws IOException {
        before("readSmall", path, READ);
        return delegate.readSmall(path, maxBytes);
    }

    @Override
    public void writeSmall(String path, byte[] bytes) throws IOException {
        Optional<Fault> after = before("writeSmall", path, CHANGE);
        delegate.writeSmall(path, bytes);
        if (after.isPresent()) injector.strike(after.get(), "writeSmall", path);
    }

    /** File by file, so that a fault can strike between them, as it may in any store. */
    @Override
    public void writeSmallInOrder(List<SmallFile> files) throws IOException {
        for (SmallFile file : files) writeSmall(file.path(), file.bytes());
    }

    /** The move, then file by file: a fault can strike between any two, as it may in any store. */
    @Override
    public void moveThenWriteInOrder(String from, String to, List<SmallFile> files) throws IOException {
        move(from, to);
        writeSmallInOrder(files);
    }

    @Override
    public void writeSmallUnsynced(String path, byte[] bytes) throws IOException {
        Optional<Fault> after = before("writeSmallUnsynced", path, CHANGE);
        delegate.writeSmallUnsynced(path, bytes);
        if (after.isPresent()) injector.strike(after.get(), "writeSmallUnsynced", path);
    }

    @Override
    public void touch(String path) throws IOException {
        Optional<Fault> after = before("touch", path, CHANGE);
        delegate.touch(path);
        if (after.isPresent()) injector.strike(after.get(), "touch", path);
    }

    @Override
    public boolean createSmall(String path, byte[] bytes) throws IOException {
        Optional<Fault> after = before("createSmall", path, CHANGE);
        boolean created = delegate.createSmall(path, bytes);
        if (after.isPresent()) injector.strike(after.get(), "createSmall", path);
        return created;
    }

    @Override
    public Content open(String path, long offset) throws IOException {
        Optional<Fault> broken = before("open", path, OPEN);
        Content content = delegate.open(path, offset);
        if (broken.isEmpty()) return content;
        if (content.length() == 0) {
            content.close();
            throw new IOException("injected broken read: open " + path);
        }
        long failAt = injector.nextLong(content.length());
        return new Content.OfStream(new BreakingInputStream(content.asStream(), failAt, path), content.length());
    }

    @Override
    public AppendWriter append(String path) throws IOException {
        before("append", path, APPEND);
        return new FaultyAppendWriter(this, path, delegate.append(path));
    }

    @Override
    public HiddenWriter writeHidden(String path, String stagingPath, java.util.OptionalLong size) throws IOException {
        before("append", path, APPEND);
        return new FaultyHiddenWriter(this, path, delegate.writeHidden(path, stagingPath, size));
    }

    @Override
    public void move(String from, String to) throws IOException {
        Optional<Fault> after = before("move", from, CHANGE);
        delegate.move(from, to);
        if (after.isPresent()) injector.strike(after.get(), "move", from);
    }

    @Override
    public void delete(String path) throws IOException {
        Optional<Fault> after = before("delete", path, DELETE);
        delegate.delete(path);
        if (after.isPresent()) injector.strike(after.get(), "delete", path);
    }

    @Override
    public List<String> list(String directory) throws IOException {
        before("list", directory, READ);
        return delegate.list(directory);
    }

    @Override
    public Optional<URI> redirect(String path) throws IOException {
        before("redirect", path, READ);
        return delegate.redirect(path);
    }

    @Override
    public int sweepTemporaryFiles(java.time.Instant cutoff) throws IOException {
        return delegate.sweepTemporaryFiles(cutoff);
    }

    @Override
    public java.time.Duration presenceCacheTtl() {
        return delegate.presenceCacheTtl();
    }

    @Override
    public List<String> listPage(String directory, String startAfter, int limit) throws IOException {
        before("list", directory, READ);
        return delegate.listPage(directory, startAfter, limit);
    }

    @Override
    public java.util.Map<String, java.util.Set<String>> listDirectoriesWithChildStartingWith(String directory, String childPrefix)
            throws IOException {
        before("list", directory, READ);
        return delegate.listDirectoriesWithChildStartingWith(directory, childPrefix);
    }

    @Override
    public List<org.stevedore.storage.FileInfo> statInEachChild(String directory, String relativePath) throws IOException {
        before("list", directory, READ);
        return delegate.statInEachChild(directory, relativePath);
    }

    @Override
    public String toString() {
        return "FaultyDriver over " + delegate;
    }
}
