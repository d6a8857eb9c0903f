package org.stevedore.storage.tck;

import static org.stevedore.storage.tck.Fault.DISK_FULL;
import static org.stevedore.storage.tck.Fault.IO_ERROR;
import static org.stevedore.storage.tck.Fault.LOST_REPLY;
import static org.stevedore.storage.tck.Fault.SHORT_WRITE;
import static org.stevedore.storage.tck.Fault.SLOW;
import static org.stevedore.storage.tck.Fault.UNAVAILABLE;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.stevedore.storage.AppendWriter;

/** The writer of a {@link FaultyDriver}: faults on write, commit and cancel; close always works. */
final class FaultyAppendWriter implements AppendWriter {
    private static final Set<Fault> WRITE = EnumSet.of(IO_ERROR, UNAVAILABLE, SLOW, DISK_FULL, SHORT_WRITE);
    private static final Set<Fault> COMMIT = EnumSet.of(IO_ERROR, UNAVAILABLE, SLOW, DISK_FULL, LOST_REPLY);
    private static final Set<Fault> CANCEL = EnumSet.of(IO_ERROR, SLOW, LOST_REPLY);

    private final FaultyDriver driver;
    private final String path;
    private final AppendWriter delegate;

    FaultyAppendWriter(FaultyDriver driver, String path, AppendWriter delegate) {
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
        Optional<Fault> shortWrite = driver.before("write", path, WRITE);
        if (shortWrite.isPresent()) {
            int half = source.remaining() / 2;
            ByteBuffer part = source.slice();
            part.limit(half);
            delegate.write(part);
            source.position(source.position() + half);
            throw new IOException("injected short write (" + half + " bytes): " + path);
        }
        delegate.write(source);
    }

    @Override
    public void commit() throws IOException {
        Optional<Fault> after = driver.before("commit", path, COMMIT);
        delegate.commit();
        if (after.isPresent()) driver.injector().strike(after.get(), "commit", path);
    }

    @Override
    public void cancel() throws IOException {
        Optional<Fault> after = driver.before("cancel", path, CANCEL);
        delegate.cancel();
        if (after.isPresent()) driver.injector().strike(after.get(), "cancel", path);
    }

    @Override
    public void close() throws IOException {
        delegate.close();
    }
}
