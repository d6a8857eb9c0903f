package org.stevedore.auth.token;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The built-in token server's signing key kept in a file, so tokens issued before a restart are
 * still accepted after it. The file is PEM with two blocks, {@code PRIVATE KEY} (PKCS#8) and
 * {@code PUBLIC KEY} (X.509), of one P-256 key (the JDK cannot derive the public key from the
 * private one). A missing file is created with a new key, readable by its owner only (0600 where
 * the file system has POSIX permissions), written aside and linked into place so a crash leaves
 * no half file. Published API.
 */
public final class SigningKeyFile {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z ]+)-----\\s*([A-Za-z0-9+/=\\s]+?)\\s*-----END \\1-----");
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private SigningKeyFile() {
    }

    /** The key in {@code file}, or a new one written there if the file does not exist. */
    public static KeyPair loadOrCreate(Path file) {
        try {
            if (Files.exists(file)) return read(file);
            KeyPair keys = generate();
            write(file, keys);
            return keys;
        } catch (FileAlreadyExistsException raced) {
            return loadOrCreate(file); // another process created it meanwhile: use theirs
        } catch (IOException e) {
            throw new UncheckedIOException("token signing key " + file + ": " + e.getMessage(), e);
        }
    }

    private static KeyPair read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        byte[] privateDer = null;
        byte[] publicDer = null;
        Matcher blocks = BLOCK.matcher(text);
        while (blocks.find()) {
            byte[] der;
            try {
                der = Base64.getMimeDecoder().decode(blocks.group(2));
            } catch (IllegalArgumentException e) {
                throw invalid(file, "a " + blocks.group(1) + " block is not base64");
            }
            if (blocks.group(1).equals("PRIVATE KEY")) privateDer = der;
            else if (blocks.group(1).equals("PUBLIC KEY")) publicDer = der;
        }
        if (privateDer == null || publicDer == null) {
            throw invalid(file, "needs a PRIVATE KEY (PKCS#8) and a PUBLIC KEY block of one P-256 key; "
                    + "remove the file to have a new key made");
        }
        try {
            KeyFactory factory = KeyFactory.getInstance("EC");
            ECPrivateKey privateKey = (ECPrivateKey) factory.generatePrivate(new PKCS8EncodedKeySpec(privateDer));
            ECPublicKey publicKey = (ECPublicKey) factory.generatePublic(new X509EncodedKeySpec(publicDer));
            if (privateKey.getParams().getCurve().getField().getFieldSize() != 256) {
                throw invalid(file, "the key is not a P-256 key (ES256 needs one)");
            }
            KeyPair keys = new KeyPair(publicKey, privateKey);
            requireMatching(file, keys);
            return keys;
        } catch (GeneralSecurityException | ClassCastException e) {
            throw invalid(file, "not an EC key pair: " + e.getMessage());
        }
    }

    /** A signature made with the private key must verify with the public one: a mixed-up file fails here. */
    private static void requireMatching(Path file, KeyPair keys) throws GeneralSecurityException {
        byte[] probe = "stevedore signing key check".getBytes(StandardCharsets.US_ASCII);
        byte[] signature = JwsAlgorithm.ES256.sign(keys.getPrivate(), probe);
        if (!JwsAlgorithm.ES256.verify(keys.getPublic(), probe, signature)) {
            throw invalid(file, "its PRIVATE KEY and PUBLIC KEY blocks are not one key pair");
        }
    }

    private static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("P-256 is part of every JDK", e);
        }
    }

    private static void write(Path file, KeyPair keys) throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        Files.createDirectories(directory);
        String pem = pem("PRIVATE KEY", keys.getPrivate().getEncoded()) + pem("PUBLIC KEY", keys.getPublic().getEncoded());
        Path temp;
        try {
            temp = Files.createTempFile(directory, ".signingkey-", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (UnsupportedOperationException notPosix) {
            temp = Files.createTempFile(directory, ".signingkey-", ".tmp");
        }
        try {
            Files.writeString(temp, pem, StandardCharsets.US_ASCII);
            // A hard link appears whole and never replaces: if another process made the file
            // meanwhile, its key wins (FileAlreadyExistsException). A rename would replace it.
            try {
                Files.createLink(file, temp);
            } catch (UnsupportedOperationException noLinks) {
                Files.move(temp, file);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static IllegalArgumentException invalid(Path file, String why) {
        return new IllegalArgumentException("token signing key " + file + ": " + why);
    }
}
