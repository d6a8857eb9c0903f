package org.stevedore.interop;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Just enough of the ustar format (POSIX.1-1988) for image layers: regular files with names under
 * 100 bytes, written and read. Avoids a dependency for 512-byte headers.
 */
final class Tar {
    private static final int BLOCK = 512;

    private Tar() {
    }

    /** A tar archive of regular files, in map order, with fixed mode, owner and time. */
    static byte[] write(Map<String, byte[]> files) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            out.write(header(file.getKey(), file.getValue().length));
            out.write(file.getValue());
            out.write(new byte[padding(file.getValue().length)]);
        }
        out.write(new byte[2 * BLOCK]); // end of archive: two zero blocks
        return out.toByteArray();
    }

    static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        }
        return out.toByteArray();
    }

    static byte[] gunzip(byte[] bytes) throws IOException {
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(bytes))) {
            return in.readAllBytes();
        }
    }

    /** The regular files of a tar archive by name (leading {@code ./} and {@code /} removed). */
    static Map<String, byte[]> read(byte[] tar) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        int position = 0;
        while (position + BLOCK <= tar.length) {
            byte[] header = Arrays.copyOfRange(tar, position, position + BLOCK);
            if (isZero(header)) break;
            String name = text(header, 0, 100);
            String prefix = text(header, 345, 155);
            if (!prefix.isEmpty()) name = prefix + "/" + name;
            long size = Long.parseLong(text(header, 124, 12).trim(), 8);
            char type = (char) header[156];
            position += BLOCK;
            if (type == '0' || type == '\0') {
                files.put(normalize(name), Arrays.copyOfRange(tar, position, position + (int) size));
            }
            position += (int) size + padding(size);
        }
        return files;
    }

    private static byte[] header(String name, long size) {
        byte[] header = new byte[BLOCK];
        put(header, 0, 100, name);
        put(header, 100, 8, "0000644");
        put(header, 108, 8, "0000000");
        put(header, 116, 8, "0000000");
        put(header, 124, 12, String.format("%011o", size));
        put(header, 136, 12, String.format("%011o", 1_700_000_000L));
        Arrays.fill(header, 148, 156, (byte) ' '); // checksum counts itself as spaces
        header[156] = '0';
        put(header, 257, 6, "ustar");
        put(header, 263, 2, "00");
        long sum = 0;
        for (byte b : header) sum += b & 0xff;
        put(header, 148, 7, String.format("%06o", sum)); // six digits, NUL, then the space left above
        return header;
    }

    private static void put(byte[] header, int offset, int length, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length > length) throw new IllegalArgumentException("tar field too long: " + value);
        System.arraycopy(bytes, 0, header, offset, bytes.length);
    }

    private static String text(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) end++;
        return new String(header, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static int padding(long size) {
        return (int) ((BLOCK - size % BLOCK) % BLOCK);
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) if (b != 0) return false;
        return true;
    }

    private static String normalize(String name) {
        while (name.startsWith("./") || name.startsWith("/")) name = name.substring(name.indexOf('/') + 1);
        return name;
    }
}
