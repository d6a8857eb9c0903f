package org.stevedore.auth.token;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.CertPathValidator;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Checks bearer tokens (compact JWS) as distribution's {@code auth.token} does: signed (one of
 * {@link JwsAlgorithm}) by a key that is either in an {@code x5c} chain leading to a certificate
 * of the root bundle, or named by {@code kid} (libtrust id or JWK thumbprint of a bundle
 * certificate's key, the {@code kid} of a key in a JWK Set, or of an extra trusted key), the
 * {@code kid} also read from a header {@code jwk} as distribution 3 does; {@code iss} equals the
 * issuer, {@code aud} names the service, and {@code exp}/{@code nbf} hold within 60 s of leeway.
 * A JWK Set key's {@code use}, {@code key_ops} and {@code alg} are honoured, and the token's
 * {@code alg} must be one of the {@link SigningAlgorithms} allowed. Immutable and thread-safe.
 */
public final class TokenVerifier {
    /** Clock skew tolerated on exp and nbf, as distribution. */
    public static final Duration LEEWAY = Duration.ofSeconds(60);
    private static final int MAX_TOKEN_CHARS = 32 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String issuer;
    private final String service;
    private final Set<X509Certificate> roots;
    private final Set<TrustAnchor> anchors;
    private final Map<String, JsonWebKey> keysById;
    private final SigningAlgorithms algorithms;
    private final Clock clock;
    private final IssuedTokenExpiry expiry;

    private TokenVerifier(String issuer, String service, Set<X509Certificate> roots, Map<String, JsonWebKey> keysById,
                          SigningAlgorithms algorithms, Clock clock, IssuedTokenExpiry expiry) {
        this.issuer = issuer;
        this.service = service;
        this.roots = Set.copyOf(roots);
        Set<TrustAnchor> anchors = new HashSet<>();
        for (X509Certificate root : roots) anchors.add(new TrustAnchor(root, null));
        this.anchors = Set.copyOf(anchors);
        this.keysById = Map.copyOf(keysById);
        this.algorithms = algorithms;
        this.clock = clock;
        this.expiry = expiry;
    }

    /** Trusting the certificates of a PEM bundle (distribution's {@code rootcertbundle}). */
    public static TokenVerifier of(String issuer, String service, List<X509Certificate> roots) {
        Map<String, JsonWebKey> keys = new HashMap<>();
        for (X509Certificate root : roots) {
            PublicKey key = root.getPublicKey();
            keys.put(KeyIds.libtrust(key), JsonWebKey.unconstrained(KeyIds.libtrust(key), key));
            KeyIds.jwkThumbprint(key).ifPresent(id -> keys.put(id, JsonWebKey.unconstrained(id, key)));
        }
        return new TokenVerifier(issuer, service, new HashSet<>(roots), keys, SigningAlgorithms.DEFAULT,
                Clock.systemUTC(), new IssuedTokenExpiry());
    }

    /** A copy that also trusts {@code key} under {@code kid} (e.g. the built-in token server's). */
    public TokenVerifier trusting(String kid, PublicKey key) {
        Map<String, JsonWebKey> keys = new HashMap<>(keysById);
        keys.put(kid, JsonWebKey.unconstrained(kid, key));
        return new TokenVerifier(issuer, service, roots, keys, algorithms, clock, expiry);
    }

    /**
     * A copy that also trusts every key of {@code keySet} (distribution's {@code jwks}) under its
     * {@code kid}; as in distribution, a set's key wins over a bundle key of the same id.
     */
    public TokenVerifier trusting(JsonWebKeySet keySet) {
        Map<String, JsonWebKey> keys = new HashMap<>(keysById);
        for (JsonWebKey key : keySet.keys()) keys.put(key.kid(), key);
        return new TokenVerifier(issuer, service, roots, keys, algorithms, clock, expiry);
    }

    /** Whether some key or root certificate could verify a token at all. */
    public boolean hasSigningKey() {
        return !roots.isEmpty() || keysById.values().stream().anyMatch(JsonWebKey::isSigningKey);
    }

    /** A copy reading time from {@code clock}. */
    public TokenVerifier withClock(Clock clock) {
        return new TokenVerifier(issuer, service, roots, keysById, algorithms, clock, expiry);
    }

    /**
     * A copy accepting only tokens whose {@code alg} is one of {@code algorithms} (distribution 3's
     * {@code signingalgorithms}); without this call, {@link SigningAlgorithms#DEFAULT}.
     */
    public TokenVerifier allowing(SigningAlgorithms algorithms) {
        return new TokenVerifier(issuer, service, roots, keysById, Objects.requireNonNull(algorithms, "algorithms"),
                clock, expiry);
    }

    /** A copy that also refuses tokens {@code expiry} expired early (the built-in token server's). */
    public TokenVerifier expiring(IssuedTokenExpiry expiry) {
        return new TokenVerifier(issuer, service, roots, keysById, algorithms, clock,
                Objects.requireNonNull(expiry, "expiry"));
    }

    /** The certificates of a PEM file; throws if it holds none. */
    public static List<X509Certificate> readBundle(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            List<X509Certificate> certificates = new ArrayList<>();
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                certificates.add((X509Certificate) certificate);
            }
            if (certificates.isEmpty()) throw new IllegalArgumentException("no certificates in " + pem);
            return certificates;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read root certificate bundle " + pem + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("bad root certificate bundle " + pem + ": " + e.getMessage(), e);
        }
    }

    /** The checked token, or why it is not to be trusted. */
    public VerifiedToken verify(String token) throws InvalidTokenException {
        if (token.length() > MAX_TOKEN_CHARS) throw new InvalidTokenException("token too long");
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) throw new InvalidTokenException("not a compact JWS");
        JsonNode header = json(parts[0], "header");
        JsonNode claims = json(parts[1], "claims");
        byte[] signature = base64Url(parts[2], "signature");
        JwsAlgorithm algorithm = JwsAlgorithm.named(header.path("alg").asText())
                .orElseThrow(() -> new InvalidTokenException("unsupported alg " + header.path("alg").asText()));
        // Before any key is looked up, as distribution refuses such a token while parsing it.
        if (!algorithms.allows(algorithm)) {
            throw new InvalidTokenException("alg " + algorithm + " is not one of the allowed signing algorithms");
        }
        JsonWebKey key = signingKey(header);
        key.requireVerifies(algorithm);
        byte[] input = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
        if (!algorithm.verify(key.publicKey(), input, signature)) throw new InvalidTokenException("bad signature");
        checkClaims(claims);
        return new VerifiedToken(Optional.of(claims.path("sub").asText("")).filter(s -> !s.isEmpty()), access(claims));
    }

    /** distribution 3's order: the header's x5c chain, else its jwk (own chain, else kid), else kid. */
    private JsonWebKey signingKey(JsonNode header) throws InvalidTokenException {
        JsonNode x5c = header.path("x5c");
        if (x5c.isArray() && x5c.size() > 0) return JsonWebKey.unconstrained("x5c", chainKey(x5c));
        JsonNode jwk = header.path("jwk");
        String kid = header.path("kid").asText("");
        if (jwk.isObject()) {
            JsonNode jwkChain = jwk.path("x5c");
            if (jwkChain.isArray() && jwkChain.size() > 0) return JsonWebKey.unconstrained("x5c", chainKey(jwkChain));
            // Only the kid counts: an embedded key is trusted only if it is one of ours.
            kid = jwk.path("kid").asText("");
        }
        JsonWebKey key = keysById.get(kid);
        if (key == null) throw new InvalidTokenException("unknown signing key " + kid);
        return key;
    }

    private PublicKey chainKey(JsonNode x5c) throws InvalidTokenException {
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            List<X509Certificate> chain = new ArrayList<>();
            for (JsonNode item : x5c) {
                byte[] der = Base64.getDecoder().decode(item.asText());
                chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
            }
            X509Certificate leaf = chain.get(0);
            Date now = Date.from(clock.instant());
            if (roots.contains(leaf)) {
                leaf.checkValidity(now);
                return leaf.getPublicKey();
            }
            // A chain may end with the root itself; PKIX wants the path without its anchor.
            while (chain.size() > 1 && roots.contains(chain.get(chain.size() - 1))) chain.remove(chain.size() - 1);
            PKIXParameters parameters = new PKIXParameters(anchors);
            parameters.setRevocationEnabled(false);
            parameters.setDate(now);
            CertPathValidator.getInstance("PKIX").validate(factory.generateCertPath(chain), parameters);
            return leaf.getPublicKey();
        } catch (GeneralSecurityException | IllegalArgumentException | ClassCastException e) {
            throw new InvalidTokenException("untrusted x5c chain: " + e.getMessage());
        }
    }

    private void checkClaims(JsonNode claims) throws InvalidTokenException {
        if (!issuer.equals(claims.path("iss").asText(null))) throw new InvalidTokenException("wrong issuer");
        JsonNode aud = claims.path("aud");
        boolean audienceMatches = aud.isTextual() ? aud.asText().equals(service)
                : aud.isArray() && containsText(aud, service);
        if (!audienceMatches) throw new InvalidTokenException("wrong audience");
        long now = clock.instant().getEpochSecond();
        JsonNode exp = claims.path("exp");
        if (!exp.isNumber()) throw new InvalidTokenException("no expiry");
        if (now > exp.asLong() + LEEWAY.toSeconds()) throw new InvalidTokenException("token expired");
        JsonNode iat = claims.path("iat");
        if (iat.isNumber() && expiry.expired(iat.asLong())) throw new InvalidTokenException("token expired");
        JsonNode nbf = claims.path("nbf");
        if (nbf.isNumber() && now < nbf.asLong() - LEEWAY.toSeconds()) {
            throw new InvalidTokenException("token not valid yet");
        }
    }

    private static boolean containsText(JsonNode array, String text) {
        for (JsonNode item : array) {
            if (item.isTextual() && item.asText().equals(text)) return true;
        }
        return false;
    }

    private static List<TokenAccess> access(JsonNode claims) throws InvalidTokenException {
        JsonNode access = claims.path("access");
        if (access.isMissingNode() || access.isNull()) return List.of();
        if (!access.isArray()) throw new InvalidTokenException("access claim is not a list");
        List<TokenAccess> entries = new ArrayList<>();
        for (JsonNode entry : access) {
            Set<String> actions = new HashSet<>();
            for (JsonNode action : entry.path("actions")) actions.add(action.asText());
            if (!entry.path("type").isTextual() || !entry.path("name").isTextual()) {
                throw new InvalidTokenException("access entry without type or name");
            }
            entries.add(new TokenAccess(entry.path("type").asText(), entry.path("name").asText(), actions));
        }
        return entries;
    }

    private static JsonNode json(String part, String what) throws InvalidTokenException {
        try {
            JsonNode node = JSON.readTree(base64Url(part, what));
            if (node == null || !node.isObject()) throw new InvalidTokenException(what + " is not a JSON object");
            return node;
        } catch (IOException e) {
            throw new InvalidTokenException(what + " is not JSON");
        }
    }

    private static byte[] base64Url(String part, String what) throws InvalidTokenException {
        try {
            return Base64.getUrlDecoder().decode(part);
        } catch (IllegalArgumentException e) {
            throw new InvalidTokenException(what + " is not base64url");
        }
    }
}
