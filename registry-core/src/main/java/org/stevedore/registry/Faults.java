package org.stevedore.registry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Fault injection, to test how clients retry: the next {@code times} requests whose method and
 * path match answer an error status (with the spec's error JSON), lose their connection before
 * any response, or are answered only after a delay. Configured at runtime through
 * {@link Registry#faults()}:
 *
 * <pre>{@code
 * registry.faults().failNext(2, "PATCH", "/blobs/uploads/", 503);  // two failed chunk uploads
 * registry.faults().disconnectNext(1, "HEAD", "/blobs/");         // one dropped existence check
 * registry.faults().delayNext(1, "*", "/manifests/", Duration.ofMillis(300));
 * }</pre>
 *
 * A request matches when the method is equal (or the rule's method is {@code *}) and the path
 * contains the rule's path part. Rules are tried in the order added; the first match with
 * requests left is used up by one. Failed and disconnected requests never reach the registry,
 * so they are not in the {@link EventJournal}; delayed ones then proceed normally. Thread-safe.
 * Published API.
 */
public final class Faults {

    /** What a matching request gets. */
    enum Kind { STATUS, DISCONNECT, DELAY }

    /** One rule, with how many requests it still applies to. */
    static final class Rule {
        final Kind kind;
        final String method;
        final String pathPart;
        final int status;
        final Duration delay;
        int remaining;

        Rule(Kind kind, int times, String method, String pathPart, int status, Duration delay) {
            this.kind = kind;
            this.remaining = times;
            this.method = method.toUpperCase(Locale.ROOT);
            this.pathPart = pathPart;
            this.status = status;
            this.delay = delay;
        }

        boolean matches(String requestMethod, String path) {
            return (method.equals("*") || method.equals(requestMethod)) && path.contains(pathPart);
        }
    }

    private final List<Rule> rules = new ArrayList<>();
    private int triggered;

    Faults() {
    }

    /** The next {@code times} matching requests answer {@code status} with an error body. */
    public Faults failNext(int times, String method, String pathPart, int status) {
        if (status < 400 || status > 599) throw new IllegalArgumentException("status must be 4xx or 5xx: " + status);
        return add(new Rule(Kind.STATUS, checkTimes(times), check(method), check(pathPart), status, Duration.ZERO));
    }

    /**
     * The connection of the next {@code times} matching requests is closed without a response;
     * clients see an I/O error (and typically retry).
     */
    public Faults disconnectNext(int times, String method, String pathPart) {
        return add(new Rule(Kind.DISCONNECT, checkTimes(times), check(method), check(pathPart), 0, Duration.ZERO));
    }

    /** The next {@code times} matching requests are handled only after {@code delay}. */
    public Faults delayNext(int times, String method, String pathPart, Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) throw new IllegalArgumentException("delay must not be negative");
        return add(new Rule(Kind.DELAY, checkTimes(times), check(method), check(pathPart), 0, delay));
    }

    /** How many requests the configured rules will still affect. */
    public synchronized int pending() {
        return rules.stream().mapToInt(rule -> rule.remaining).sum();
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
            if (!rule.matches(method, path)) continue;
            if (--rule.remaining == 0) it.remove();
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

    private static String check(String text) {
        return Objects.requireNonNull(text, "method and path part must not be null");
    }
}
