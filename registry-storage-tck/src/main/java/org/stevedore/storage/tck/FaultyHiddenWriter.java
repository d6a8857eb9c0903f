package org.stevedore.storage.tck;

import static org.stevedore.storage.tck.Fault.DISK_FULL;
import static org.stevedore.storage.tck.Fault.IO_ERROR;
import static org.stevedore.storage.tck.Fault.LOST_REPLY;
import static org.stevedore.storage.tck.Fault.SLOW;
import static org.stevedore.storage.tck.Fault.UNAVAILABLE;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.stevedore.storage.HiddenWriter;
import org.stevedore.storage.SmallFile;

/**
 * The hidden writer of a {@link FaultyDriver}: faults on write and commit, as its append writer
 * has; a lost reply strikes after the commit took effect. Close always works.
 */
final class FaultyHiddenWriter implements HiddenWriter {
    private static final Set<Fault> WRITE = EnumSet.of(IO_ERROR, UNAVAILABLE, SLOW, DISK_FULL);
    private static final Set<Fault> COMMIT = EnumSet.of(IO_ERROR, UNAVAILABLE, SLOW, DISK_FULL, LOST_REPLY);

    private final FaultyDriver driver;
    private final String path;
    private final HiddenWriter delegate;

    FaultyHiddenWriter(FaultyDriver driver, String path, HiddenWriter delegate) {
        this.driver = driver;
        this.path = path;
        this.delegate = delegate;
    }

    @Override
    public long size() {
        return delegate.size();
    }

    @Override
    public void write(ByteBuffer source) throws IOException {
        driver.before("write", path, WRITE);
        delegate.write(source);
    }

    @Override
    public void commit() throws IOException {
        Optional<Fault> after = driver.before("commit", path, COMMIT);
        delegate.commit();
        if (after.isPresent()) driver.injector().strike(after.get(), "commit", path);
    }

    /**
     * The commit, then file by file through the faulty driver: a fault can strike between any
     * two, as it may in any store (see {@link FaultyDriver#moveThenWriteInOrder}).
     */
    @Override
    public void commitThenWriteInOrder(List<SmallFile> files) throws IOException {
        commit();
        driver.writeSmallInOrder(files);
    }

    @Override
    public void close() throws IOException {
        delegate.close();
    }
}
