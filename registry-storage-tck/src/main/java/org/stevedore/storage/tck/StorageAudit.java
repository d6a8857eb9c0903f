package org.stevedore.storage.tck;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.stevedore.model.Descriptor;
import org.stevedore.model.Digest;
import org.stevedore.model.Manifest;
import org.stevedore.model.ManifestParser;
import org.stevedore.model.RepositoryName;
import org.stevedore.registry.fixtures.RegistryContents;
import org.stevedore.service.RegistryService;
import org.stevedore.storage.Content;
import org.stevedore.storage.StorageDriver;
import org.stevedore.storage.layout.StorageLayout;

/**
 * Checks what a registry's storage makes visible, straight from the storage tree: every blob's
 * bytes hash to its digest; every layer and revision link of a repository names a blob that
 * exists; every manifest parses and its blobs and child manifests are in the repository; every
 * listed tag has a current link naming a manifest of the repository. Anything else is a partial
 * state, reported by path. Reads only; run it while nothing writes.
 */
public final class StorageAudit {
    private final StorageDriver driver;
    private final RegistryContents contents;
    private final List<String> problems = new ArrayList<>();
    private long blobsVerified;
    private long bytesVerified;
    private long manifestsChecked;
    private long tagsResolved;
    private long linksChecked;
    private long uploadSessions;

    private StorageAudit(StorageDriver driver) {
        this.driver = driver;
        this.contents = RegistryContents.over(RegistryService.over(driver));
    }

    /** What the audit found. */
    public record Report(long blobsVerified, long bytesVerified, long manifestsChecked, long tagsResolved,
                         long linksChecked, long uploadSessions, List<String> problems) {
        public Report {
            problems = List.copyOf(problems);
        }

        /** Every object that was checked and found whole. */
        public long objectsVerified() {
            return blobsVerified + manifestsChecked + tagsResolved + linksChecked;
        }

        @Override
        public String toString() {
            return "blobs verified " + blobsVerified + " (" + bytesVerified + " bytes), manifests " + manifestsChecked
                    + ", tags " + tagsResolved + ", links " + linksChecked + ", upload sessions " + uploadSessions
                    + ", partial states " + problems.size() + (problems.isEmpty() ? "" : " " + problems);
        }
    }

    /** Audits the whole tree under {@link StorageLayout#ROOT}. */
    public static Report of(StorageDriver driver) throws IOException {
        StorageAudit audit = new StorageAudit(driver);
        audit.run();
        return new Report(audit.blobsVerified, audit.bytesVerified, audit.manifestsChecked, audit.tagsResolved,
                audit.linksChecked, audit.uploadSessions, audit.problems);
    }

    private void run() throws IOException {
        for (String algorithm : driver.list(StorageLayout.BLOBS)) {
            for (String prefix : driver.list(algorithm)) {
                for (String blob : driver.list(prefix)) verifyBlob(StorageLayout.fileName(algorithm), blob);
            }
        }
        for (String repository : contents.repositories()) auditRepository(RepositoryName.of(repository));
    }

    private void verifyBlob(String algorithm, String directory) throws IOException {
        String data = directory + "/data";
        if (driver.stat(data).isEmpty()) return; // only a use marker: nothing visible
        Digest digest = new Digest(algorithm, StorageLayout.fileName(directory));
        try (Content content = driver.open(data, 0); InputStream in = content.asStream()) {
            MessageDigest md = MessageDigest.getInstance(digest.javaAlgorithm());
            byte[] buffer = new byte[64 * 1024];
            long total = 0;
            for (int n; (n = in.read(buffer)) >= 0; total += n) md.update(buffer, 0, n);
            String actual = HexFormat.of().formatHex(md.digest());
            if (!actual.equals(digest.encoded())) problems.add(data + ": content hashes to " + actual);
            blobsVerified++;
            bytesVerified += total;
        } catch (NoSuchAlgorithmException e) {
            problems.add(data + ": unknown algorithm " + algorithm);
        }
    }

    private void auditRepository(RepositoryName name) throws IOException {
        for (String algorithm : driver.list(StorageLayout.layersDirectory(name))) {
            for (String entry : driver.list(algorithm)) {
                checkLink(entry + "/" + StorageLayout.LINK, new Digest(StorageLayout.fileName(algorithm), StorageLayout.fileName(entry)));
            }
        }
        for (Digest digest : contents.manifests(name.value())) {
            if (checkLink(StorageLayout.revisionLink(name, digest), digest)) checkManifest(name, digest);
        }
        for (String tagDirectory : driver.list(StorageLayout.tagsDirectory(name))) {
            String link = tagDirectory + "/current/" + StorageLayout.LINK;
            Optional<Digest> target = readLink(link);
            if (target.isEmpty()) {
                problems.add(link + ": tag listed without a current link");
            } else if (driver.stat(StorageLayout.revisionLink(name, target.get())).isEmpty()) {
                problems.add(link + ": tag names " + target.get() + ", not a manifest of " + name);
            } else {
                tagsResolved++;
            }
        }
        uploadSessions += driver.list(StorageLayout.uploadsDirectory(name)).size();
    }

    /** Whether {@code link} names {@code digest} and the blob's bytes exist. */
    private boolean checkLink(String link, Digest digest) throws IOException {
        Optional<Digest> named = readLink(link);
        if (named.isEmpty()) {
            problems.add(link + ": missing or unreadable link");
            return false;
        }
        if (!named.get().equals(digest)) {
            problems.add(link + ": names " + named.get() + " in the directory of " + digest);
            return false;
        }
        if (driver.stat(StorageLayout.blobData(digest)).isEmpty()) {
            problems.add(link + ": the blob " + digest + " it links has no data");
            return false;
        }
        linksChecked++;
        return true;
    }

    private void checkManifest(RepositoryName name, Digest digest) throws IOException {
        Manifest manifest;
        try {
            manifest = ManifestParser.parse(driver.readSmall(StorageLayout.blobData(digest), ManifestParser.DEFAULT_MAX_BYTES),
                    Optional.empty(), digest);
        } catch (RuntimeException e) {
            problems.add(StorageLayout.revisionLink(name, digest) + ": manifest does not parse: " + e.getMessage());
            return;
        }
        for (Descriptor blob : manifest.blobReferences()) {
            if (driver.stat(StorageLayout.layerLink(name, blob.digest())).isEmpty()
                    || driver.stat(StorageLayout.blobData(blob.digest())).isEmpty()) {
                problems.add(name + "@" + digest + ": references blob " + blob.digest() + " missing from the repository");
            }
        }
        for (Descriptor child : manifest.manifests()) {
            if (driver.stat(StorageLayout.revisionLink(name, child.digest())).isEmpty()) {
                problems.add(name + "@" + digest + ": references manifest " + child.digest() + " missing from the repository");
            }
        }
        manifestsChecked++;
    }

    private Optional<Digest> readLink(String link) throws IOException {
        try {
            return Optional.of(Digest.parse(new String(driver.readSmall(link, 1024), StandardCharsets.UTF_8).trim()));
        } catch (java.nio.file.NoSuchFileException e) {
            return Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
