package org.stevedore.auth.token;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A JSON Web Key Set file (RFC 7517 §5), distribution's {@code auth.token.jwks}: the public keys
 * that may sign bearer tokens, each selected by the {@code kid} in a token's JWS header. Keys are
 * RSA ({@code n}, {@code e}), EC on P-256, P-384 or P-521 ({@code crv}, {@code x}, {@code y}) or
 * OKP Ed25519 ({@code crv}, {@code x});
 * {@code use}, {@code key_ops} and {@code alg} are honoured when given (see
 * {@link JsonWebKey#requireVerifies}). Private members ({@code d}, ...) are ignored; only the
 * public key is kept.
 *
 * <p>Reading checks everything at once, so a bad file stops the start, never a request later:
 * not JSON, no {@code keys} list, a key without {@code kid} or {@code kty}, an unknown
 * {@code kty} or {@code crv}, bad base64url, an EC point off its curve, an {@code x5c} for another
 * key, or two keys with one {@code kid} all throw {@link IllegalArgumentException} naming the
 * file and the key. Immutable and thread-safe. Published API.
 */
public final class JsonWebKeySet {
    /** Key sets are small; a bigger file is certainly not one. */
    private static final int MAX_BYTES = 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final Path source;
    private final Map<String, JsonWebKey> keys;

    private JsonWebKeySet(Path source, Map<String, JsonWebKey> keys) {
        this.source = source;
        this.keys = keys;
    }

    /** The key set in {@code file}; an unreadable file is an {@link UncheckedIOException}, a bad one an {@link IllegalArgumentException}. */
    public static JsonWebKeySet read(Path file) {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read JWK Set " + file + ": " + e.getMessage(), e);
        }
        if (bytes.length > MAX_BYTES) throw invalid(file, "larger than 1 MiB, not a key set");
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw invalid(file, "not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw invalid(file, "not JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) throw invalid(file, "not a JSON object");
        JsonNode list = root.path("keys");
        if (!list.isArray()) throw invalid(file, "no \"keys\" list (a JWK Set is {\"keys\": [...]})");
        Map<String, JsonWebKey> keys = new LinkedHashMap<>();
        int index = 0;
        for (JsonNode node : list) {
            index++;
            String name = "key #" + index + (node.path("kid").isTextual() ? " (kid \"" + node.path("kid").asText() + "\")" : "");
            JsonWebKey key;
            try {
                key = JwkParser.parse(node);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("bad JWK Set " + file + ": " + name + ": " + e.getMessage(), e);
            }
            if (keys.putIfAbsent(key.kid(), key) != null) {
                throw invalid(file, name + ": another key has the same kid; tokens could not tell them apart");
            }
        }
        return new JsonWebKeySet(file, keys);
    }

    /** The key named {@code kid}, if the set has one. */
    public Optional<JsonWebKey> find(String kid) {
        return Optional.ofNullable(keys.get(kid));
    }

    /** Every key, in file order. */
    public Collection<JsonWebKey> keys() {
        return List.copyOf(keys.values());
    }

    /** Whether some key may verify tokens ({@link JsonWebKey#isSigningKey()}). */
    public boolean hasSigningKey() {
        return keys.values().stream().anyMatch(JsonWebKey::isSigningKey);
    }

    /** The file the keys came from, for messages. */
    public Path source() {
        return source;
    }

    private static IllegalArgumentException invalid(Path file, String why) {
        return new IllegalArgumentException("bad JWK Set " + file + ": " + why);
    }
}
