package org.stevedore.registry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.function.BooleanSupplier;

/**
 * Fault injection, to test how clients cope with what CI meets: the next {@code times} matching
 * requests answer an error status (a 429 with {@code Retry-After} too), lose their connection,
 * wait, get their bodies slowed to a bandwidth cap, cut short after some bytes, or corrupted by
 * one changed byte; and the built-in token server's tokens can be expired at once. Configured
 * at runtime through {@link Registry#faults()}:
 *
 * <pre>{@code
 * registry.faults().failNext(2, "PATCH", "/blobs/uploads/", 503);  // two failed chunk uploads
 * registry.faults().rateLimitNext(3, FaultMatch.any().route(FaultMatch.Route.BLOB), Duration.ofSeconds(1));
 * registry.faults().corruptNext(1, FaultMatch.any().method("GET").route(FaultMatch.Route.BLOB));
 * registry.faults().failNext(Faults.UNLIMITED, FaultMatch.of("GET", "/blobs/").sampled(0.05, 42), 503);
 * }</pre>
 *
 * A request matches a rule as its {@link FaultMatch} says (the classic {@code method, pathPart}
 * form: the method is equal or {@code *}, the path contains the part). Rules are tried in the
 * order added; the first match with requests left is used up by one. Failed and disconnected
 * requests never reach the registry, so they are not in the {@link EventJournal}; the others
 * proceed, with their bodies altered. Thread-safe. Published API.
 */
public final class Faults {
    /** As {@code times}: every matching request, until {@link #clear()}. */
    public static final int UNLIMITED = Integer.MAX_VALUE;

    /** What a matching request gets. */
    enum Kind { STATUS, DISCONNECT, DELAY, THROTTLE, TRUNCATE, CORRUPT, EXPIRE_TOKENS }

    /** One rule, with how many requests it still applies to. */
    static final class Rule {
        final Kind kind;
        final FaultMatch match;
        final int status;
        final Duration duration; // the delay, or the Retry-After of a status
        final long amount;       // bytes per second, or bytes before the cut
        final Random random;
        int remaining;

        Rule(Kind kind, int times, FaultMatch match, int status, Duration duration, long amount) {
            this.kind = kind;
            this.remaining = times;
            this.match = Objects.requireNonNull(match, "match");
            this.status = status;
            this.duration = duration;
            this.amount = amount;
            this.random = new Random(match.seed());
        }

        boolean applies(String method, String path) {
            return match.matches(method, path) && (match.probability() >= 1 || random.nextDouble() < match.probability());
        }
    }

    private final List<Rule> rules = new ArrayList<>();
    private final BooleanSupplier tokenExpiry;
    private int triggered;

    Faults(BooleanSupplier tokenExpiry) {
        this.tokenExpiry = tokenExpiry;
    }

    /** The next {@code times} matching requests answer {@code status} with an error body. */
    public Faults failNext(int times, String method, String pathPart, int status) {
        return failNext(times, FaultMatch.of(method, pathPart), status);
    }

    /** The next {@code times} requests {@code match} takes answer {@code status} with the spec's error body. */
    public Faults failNext(int times, FaultMatch match, int status) {
        if (status < 400 || status > 599) throw new IllegalArgumentException("status must be 4xx or 5xx: " + status);
        return add(new Rule(Kind.STATUS, checkTimes(times), match, status, Duration.ZERO, 0));
    }

    /**
     * The next {@code times} matching requests answer {@code 429 TOOMANYREQUESTS} with
     * {@code Retry-After} (whole seconds, rounded up), as a rate-limited registry does.
     */
    public Faults rateLimitNext(int times, FaultMatch match, Duration retryAfter) {
        if (retryAfter.isNegative()) throw new IllegalArgumentException("retryAfter must not be negative");
        return add(new Rule(Kind.STATUS, checkTimes(times), match, 429, retryAfter, 0));
    }

    /**
     * The connection of the next {@code times} matching requests is closed without a response;
     * clients see an I/O error (and typically retry).
     */
    public Faults disconnectNext(int times, String method, String pathPart) {
        return disconnectNext(times, FaultMatch.of(method, pathPart));
    }

    public Faults disconnectNext(int times, FaultMatch match) {
        return add(new Rule(Kind.DISCONNECT, checkTimes(times), match, 0, Duration.ZERO, 0));
    }

    /** The next {@code times} matching requests are handled only after {@code delay}. */
    public Faults delayNext(int times, String method, String pathPart, Duration delay) {
        return delayNext(times, FaultMatch.of(method, pathPart), delay);
    }

    public Faults delayNext(int times, FaultMatch match, Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) throw new IllegalArgumentException("delay must not be negative");
        return add(new Rule(Kind.DELAY, checkTimes(times), match, 0, delay, 0));
    }

    /**
     * The request bodies and response bodies of the next {@code times} matching requests move at
     * most {@code bytesPerSecond}: a slow link. Applies to bodies sent from worker threads, which
     * is every blob and upload.
     */
    public Faults throttleNext(int times, FaultMatch match, long bytesPerSecond) {
        if (bytesPerSecond <= 0) throw new IllegalArgumentException("bytesPerSecond must be positive");
        return add(new Rule(Kind.THROTTLE, checkTimes(times), match, 0, Duration.ZERO, bytesPerSecond));
    }

    /**
     * The response bodies of the next {@code times} matching requests stop after {@code bytes}
     * bytes and the connection closes: the client gets fewer bytes than Content-Length promised.
     */
    public Faults truncateNext(int times, FaultMatch match, long bytes) {
        if (bytes < 0) throw new IllegalArgumentException("bytes must not be negative");
        return add(new Rule(Kind.TRUNCATE, checkTimes(times), match, 0, Duration.ZERO, bytes));
    }

    /**
     * The response bodies of the next {@code times} matching requests have one byte changed (the
     * middle one), so a client that checks the digest of what it pulled must refuse it.
     */
    public Faults corruptNext(int times, FaultMatch match) {
        return add(new Rule(Kind.CORRUPT, checkTimes(times), match, 0, Duration.ZERO, 0));
    }

    /**
     * Expires every token the built-in token server issued so far: the next request with one gets
     * a 401 and the client has to fetch a new token. Fails when the registry's access controller
     * issues no tokens of its own.
     */
    public Faults expireTokensNow() {
        if (!expireTokens()) {
            throw new IllegalStateException("the registry has no built-in token server whose tokens could expire");
        }
        return this;
    }

    /**
     * When each of the next {@code times} matching requests arrives, expires every token issued so
     * far ({@link #expireTokensNow()}), then handles it: the request, sent with a token that was
     * valid a moment ago, gets a 401, as when a token runs out in the middle of a pull or push.
     */
    public Faults expireTokensOnNext(int times, FaultMatch match) {
        return add(new Rule(Kind.EXPIRE_TOKENS, checkTimes(times), match, 0, Duration.ZERO, 0));
    }

    boolean expireTokens() {
        return tokenExpiry.getAsBoolean();
    }

    /** How many requests the configured rules will still affect ({@link #UNLIMITED} at most). */
    public synchronized int pending() {
        long sum = rules.stream().mapToLong(rule -> rule.remaining).sum();
        return (int) Math.min(UNLIMITED, sum);
    }

    /** How many requests faults were applied to since the registry started (or {@link #clear()}). */
    public synchronized int triggered() {
        return triggered;
    }

    /** Removes every rule and resets {@link #triggered()}. */
    public synchronized void clear() {
        rules.clear();
        triggered = 0;
    }

    /** The rule this request uses up, if any. */
    synchronized Optional<Rule> take(String method, String path) {
        for (Iterator<Rule> it = rules.iterator(); it.hasNext(); ) {
            Rule rule = it.next();
            if (!rule.applies(method, path)) continue;
            if (rule.remaining != UNLIMITED && --rule.remaining == 0) it.remove();
            triggered++;
            return Optional.of(rule);
        }
        return Optional.empty();
    }

    /** Whether any rule is configured; lets requests skip the lock when none is. */
    synchronized boolean isEmpty() {
        return rules.isEmpty();
    }

    private synchronized Faults add(Rule rule) {
        rules.add(rule);
        return this;
    }

    private static int checkTimes(int times) {
        if (times <= 0) throw new IllegalArgumentException("times must be positive");
        return times;
    }
}
