package org.stevedore.images;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;
import org.stevedore.model.Digest;

/**
 * A layer of a docker save archive as a registry stores it: gzipped into a temporary file while
 * both the tar (against its diff ID) and the result are hashed. A layer the archive already
 * holds compressed is copied as it is.
 */
record CompressedLayer(Path file, Digest digest, long size) {
    private static final int BUFFER = 64 * 1024;

    static CompressedLayer of(ArchiveFiles files, String name, Digest diffId) throws IOException {
        Path file = Files.createTempFile("stevedore-layer-", ".tar.gz");
        try {
            MessageDigest compressed = Digests.sha256();
            MessageDigest content = Digests.sha256();
            boolean alreadyCompressed;
            try (InputStream raw = new BufferedInputStream(files.open(name), BUFFER);
                 OutputStream out = new DigestOutputStream(Files.newOutputStream(file), compressed)) {
                raw.mark(2);
                alreadyCompressed = raw.read() == 0x1f && raw.read() == 0x8b;
                raw.reset();
                if (alreadyCompressed) {
                    raw.transferTo(out);
                } else {
                    try (GZIPOutputStream gzip = new GZIPOutputStream(out, BUFFER)) {
                        new DigestInputStream(raw, content).transferTo(gzip);
                    }
                }
            }
            if (!alreadyCompressed && !diffId.encoded().equals(HexFormat.of().formatHex(content.digest()))) {
                throw new ImageArchiveException(name + " in " + files.describe() + " does not match its diff ID " + diffId);
            }
            return new CompressedLayer(file, Digest.sha256(HexFormat.of().formatHex(compressed.digest())), Files.size(file));
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    void delete() throws IOException {
        Files.deleteIfExists(file);
    }
}
