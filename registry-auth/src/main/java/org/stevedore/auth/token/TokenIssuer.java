package org.stevedore.auth.token;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Signs registry tokens (ES256 JWS) with a key made when it is created (or one given, kept in a
 * {@link SigningKeyFile}), named in the header by
 * its libtrust key id, so a {@link TokenVerifier} {@linkplain TokenVerifier#trusting trusting}
 * that key accepts them. Thread-safe.
 */
public final class TokenIssuer {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A token and when it was made, for the token endpoint's response. */
    public record IssuedToken(String token, Instant issuedAt, Duration expiresIn) {
        @Override
        public String toString() {
            return "IssuedToken[token=<hidden>, issuedAt=" + issuedAt + ", expiresIn=" + expiresIn + "]";
        }
    }

    private final KeyPair keys;
    private final String keyId;
    private final String issuer;
    private final String service;
    private final Duration lifetime;
    private final Clock clock;
    private final IssuedTokenExpiry expiry;

    private TokenIssuer(KeyPair keys, String issuer, String service, Duration lifetime, Clock clock,
                        IssuedTokenExpiry expiry) {
        this.keys = keys;
        this.keyId = KeyIds.libtrust(keys.getPublic());
        this.issuer = issuer;
        this.service = service;
        this.lifetime = lifetime;
        this.clock = clock;
        this.expiry = expiry;
    }

    /** An issuer with a new P-256 key, tokens valid for {@code lifetime}. */
    public static TokenIssuer withNewKey(String issuer, String service, Duration lifetime) {
        return withNewKey(issuer, service, lifetime, Clock.systemUTC());
    }

    /** As {@link #withNewKey(String, String, Duration)}, reading time from {@code clock}. */
    public static TokenIssuer withNewKey(String issuer, String service, Duration lifetime, Clock clock) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return new TokenIssuer(generator.generateKeyPair(), issuer, service, lifetime, clock, new IssuedTokenExpiry());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("P-256 is part of every JDK", e);
        }
    }

    /** An issuer signing with {@code keys} (a P-256 pair, e.g. from {@link SigningKeyFile}). */
    public static TokenIssuer withKey(KeyPair keys, String issuer, String service, Duration lifetime) {
        return new TokenIssuer(keys, issuer, service, lifetime, Clock.systemUTC(), new IssuedTokenExpiry());
    }

    /** A copy dating its tokens after any second {@code expiry} expired (see {@link IssuedTokenExpiry}). */
    public TokenIssuer expiring(IssuedTokenExpiry expiry) {
        return new TokenIssuer(keys, issuer, service, lifetime, clock, java.util.Objects.requireNonNull(expiry, "expiry"));
    }

    /** A token for {@code subject} (empty: anonymous) granting {@code access}. */
    public IssuedToken issue(Optional<String> subject, List<TokenAccess> access) {
        Instant now = expiry.issueTime(clock.instant());
        ObjectNode header = JSON.createObjectNode().put("typ", "JWT").put("alg", "ES256").put("kid", keyId);
        ObjectNode claims = JSON.createObjectNode()
                .put("iss", issuer)
                .put("sub", subject.orElse(""))
                .put("aud", service)
                .put("exp", now.plus(lifetime).getEpochSecond())
                .put("nbf", now.getEpochSecond())
                .put("iat", now.getEpochSecond())
                .put("jti", UUID.randomUUID().toString());
        ArrayNode entries = claims.putArray("access");
        for (TokenAccess entry : access) {
            ObjectNode node = entries.addObject().put("type", entry.type()).put("name", entry.name());
            ArrayNode actions = node.putArray("actions");
            entry.actions().stream().sorted().forEach(actions::add);
        }
        try {
            String input = encode(JSON.writeValueAsBytes(header)) + "." + encode(JSON.writeValueAsBytes(claims));
            byte[] signature = JwsAlgorithm.ES256.sign(keys.getPrivate(), input.getBytes(StandardCharsets.US_ASCII));
            return new IssuedToken(input + "." + encode(signature), now, lifetime);
        } catch (GeneralSecurityException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot sign a token", e);
        }
    }

    private static String encode(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The key tokens are signed with, for verifiers. */
    public PublicKey publicKey() {
        return keys.getPublic();
    }

    /** The {@code kid} in issued tokens' headers. */
    public String keyId() {
        return keyId;
    }
}
