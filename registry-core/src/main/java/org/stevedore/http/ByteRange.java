package org.stevedore.http;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A single byte range of a blob {@code GET} ({@code Range: bytes=a-b}, {@code bytes=a-},
 * {@code bytes=-n}), resolved against the blob's size. Several ranges, or a header in another
 * unit, are ignored and the whole blob is sent, which RFC 9110 allows.
 */
record ByteRange(long start, long end) {
    private static final Pattern SINGLE = Pattern.compile("bytes=(\\d{0,18})-(\\d{0,18})");

    long length() {
        return end - start + 1;
    }

    /** Thrown for a range that lies wholly outside the blob: 416. */
    static final class Unsatisfiable extends Exception {
        Unsatisfiable() {
            super(null, null, false, false);
        }
    }

    /**
     * @return the range to send; empty when the whole blob is to be sent
     * @throws Unsatisfiable when no byte of the blob is in the range
     */
    static Optional<ByteRange> parse(String header, long size) throws Unsatisfiable {
        if (header == null) return Optional.empty();
        Matcher m = SINGLE.matcher(header.trim());
        if (!m.matches()) return Optional.empty();
        String first = m.group(1);
        String last = m.group(2);
        if (first.isEmpty() && last.isEmpty()) return Optional.empty();
        if (first.isEmpty()) {
            long suffix = Long.parseLong(last);
            if (suffix == 0 || size == 0) throw new Unsatisfiable();
            return Optional.of(new ByteRange(Math.max(0, size - suffix), size - 1));
        }
        long start = Long.parseLong(first);
        long end = last.isEmpty() ? size - 1 : Math.min(Long.parseLong(last), size - 1);
        if (!last.isEmpty() && Long.parseLong(last) < start) return Optional.empty();
        if (start >= size) throw new Unsatisfiable();
        return Optional.of(new ByteRange(start, end));
    }
}
