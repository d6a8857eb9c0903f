package org.stevedore.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The hidden writer a {@link CheckedDriver} hands out: the wrapped store's writer, with the paths
 * of the files written after the commit checked as every other path the driver sees is.
 */
final class CheckedHiddenWriter implements HiddenWriter {
    private final HiddenWriter delegate;

    CheckedHiddenWriter(HiddenWriter delegate) {
        this.delegate = delegate;
    }

    @Override
    public long size() {
        return delegate.size();
    }

    @Override
    public void write(ByteBuffer source) throws IOException {
        delegate.write(source);
    }

    @Override
    public void commit() throws IOException {
        delegate.commit();
    }

    @Override
    public void commitThenWriteInOrder(List<SmallFile> files) throws IOException {
        for (SmallFile file : files) CheckedDriver.checkPath(file.path());
        delegate.commitThenWriteInOrder(files);
    }

    @Override
    public void close() throws IOException {
        delegate.close();
    }
}
