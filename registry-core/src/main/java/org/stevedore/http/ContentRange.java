package org.stevedore.http;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.stevedore.error.ErrorCode;

/**
 * The {@code Content-Range} of an upload chunk: {@code <start>-<end>}, inclusive, as the OCI
 * spec writes it. The RFC 9110 form {@code bytes <start>-<end>/<total or *>} is accepted too,
 * since some clients send it. A header that does not parse, a number past 18 digits included, is
 * a 400 {@code BLOB_UPLOAD_INVALID}; 416 is kept for a well-formed range the session cannot take.
 */
record ContentRange(long start, long end) {
    private static final Pattern FORM = Pattern.compile("(?:bytes[ =])?(\\d{1,18})-(\\d{1,18})(?:/(?:\\d{1,18}|\\*))?");

    ContentRange {
        if (start < 0 || end < start) throw invalid();
    }

    long length() {
        return end - start + 1;
    }

    static ContentRange parse(String header) {
        Matcher m = FORM.matcher(header.trim());
        if (!m.matches()) throw invalid();
        return new ContentRange(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
    }

    private static RuntimeException invalid() {
        return ErrorCode.BLOB_UPLOAD_INVALID.withDetail("Content-Range must be <start>-<end> with start <= end,"
                + " each at most 18 digits");
    }
}
