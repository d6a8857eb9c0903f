package org.stevedore.service;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.stevedore.model.Digest;
import org.stevedore.model.RepositoryName;
import org.stevedore.model.Tag;
import org.stevedore.storage.StorageDriver;
import org.stevedore.storage.layout.StorageLayout;

/**
 * Walks what a repository holds in storage: its revisions, its tags, the links of a
 * {@code <alg>/<hex>/link} tree. Entries that are not well-formed (a stray file, a directory
 * left without its link) are skipped, as the reference registry skips them. Public for modules
 * that read whole repositories (policies: retention, usage, verification).
 */
public final class RepositoryContents {
    private RepositoryContents() {
    }

    /**
     * Every repository name in storage: directories under {@code repositories/} holding
     * {@code _manifests}, {@code _layers} or {@code _uploads} (a push that never finished);
     * {@code _}-prefixed directories are never entered.
     */
    public static List<RepositoryName> repositories(StorageDriver driver) throws IOException {
        List<RepositoryName> names = new ArrayList<>();
        walk(driver, StorageLayout.REPOSITORIES, names);
        return names;
    }

    private static void walk(StorageDriver driver, String directory, List<RepositoryName> names) throws IOException {
        boolean isRepository = false;
        for (String child : driver.list(directory)) {
            String leaf = StorageLayout.fileName(child);
            if (leaf.equals("_manifests") || leaf.equals("_layers") || leaf.equals("_uploads")) {
                isRepository = true;
            } else if (!leaf.startsWith("_")) {
                walk(driver, child, names);
            }
        }
        if (isRepository) {
            try {
                names.add(RepositoryName.of(directory.substring(StorageLayout.REPOSITORIES.length() + 1)));
            } catch (RuntimeException invalidName) {
                // not servable under any name; left alone
            }
        }
    }

    /** Every manifest digest of the repository (its revision links). */
    public static List<Digest> revisions(StorageDriver driver, RepositoryName name) throws IOException {
        return linkedDigests(driver, StorageLayout.revisionsDirectory(name));
    }

    /** The digests under {@code directory/<alg>/<hex>/link} whose link file exists. */
    public static List<Digest> linkedDigests(StorageDriver driver, String directory) throws IOException {
        List<Digest> digests = new ArrayList<>();
        for (String algorithm : driver.list(directory)) {
            String alg = StorageLayout.fileName(algorithm);
            if (alg.startsWith("_")) continue;
            for (String encoded : driver.list(algorithm)) {
                Digest digest;
                try {
                    digest = new Digest(alg, StorageLayout.fileName(encoded));
                } catch (RuntimeException notADigest) {
                    continue;
                }
                if (driver.statFile(encoded + "/" + StorageLayout.LINK).isPresent()) digests.add(digest);
            }
        }
        return digests;
    }

    /** Every tag of the repository, in storage order. */
    public static List<Tag> tags(StorageDriver driver, RepositoryName name) throws IOException {
        List<Tag> tags = new ArrayList<>();
        for (String child : driver.list(StorageLayout.tagsDirectory(name))) {
            try {
                tags.add(new Tag(StorageLayout.fileName(child)));
            } catch (RuntimeException notATag) {
                // a stray directory; distribution would list it, but no client can name it
            }
        }
        return tags;
    }

    /** The digest a tag currently points at. */
    public static Optional<Digest> current(StorageDriver driver, RepositoryName name, Tag tag) throws IOException {
        return Links.read(driver, StorageLayout.tagCurrentLink(name, tag));
    }

    /** The tags whose current link is {@code digest}. */
    public static List<Tag> tagsPointingAt(StorageDriver driver, RepositoryName name, Digest digest) throws IOException {
        List<Tag> pointing = new ArrayList<>();
        for (Tag tag : tags(driver, name)) {
            if (current(driver, name, tag).filter(digest::equals).isPresent()) pointing.add(tag);
        }
        return pointing;
    }
}
