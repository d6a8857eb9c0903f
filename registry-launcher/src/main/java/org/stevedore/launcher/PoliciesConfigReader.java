package org.stevedore.launcher;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.stevedore.policies.ByteSize;
import org.stevedore.policies.Glob;
import org.stevedore.policies.ImmutableRule;
import org.stevedore.policies.Policies;
import org.stevedore.policies.QuotaRule;
import org.stevedore.policies.RetentionPolicy;
import org.stevedore.policies.RetentionRule;

/**
 * Reads Stevedore's {@code policies} section (not in distribution's format):
 *
 * <pre>
 * policies:
 *   immutable:
 *     - repositories: "prod/**"
 *       tags: "v*"
 *   quotas:
 *     - repositories: "ci/**"
 *       bytes: 2GiB
 *   retention:
 *     interval: 1h
 *     dryrun: false
 *     rules:
 *       - repositories: "ci/**"
 *         keeplatest: 10
 *         keeptags: ["main", "v*"]
 *         keepwithin: 720h
 *         untagged: 24h
 *   verify:
 *     interval: 24h      # the server verifies storage online this often (one node per interval)
 * </pre>
 */
final class PoliciesConfigReader {
    private PoliciesConfigReader() {
    }

    /** @param warnings receives one line per unknown key */
    static Policies read(ConfigNode policies, List<String> warnings) {
        List<ImmutableRule> immutable = new ArrayList<>();
        List<ConfigNode> entries = policies.sections("immutable");
        for (int i = 0; i < entries.size(); i++) {
            ConfigNode entry = entries.get(i);
            immutable.add(new ImmutableRule("policies.immutable[" + i + "]", glob(entry, "repositories"),
                    glob(entry, "tags")));
            entry.warnUnread(warnings);
        }
        List<QuotaRule> quotas = new ArrayList<>();
        List<ConfigNode> quotaEntries = policies.sections("quotas");
        for (int i = 0; i < quotaEntries.size(); i++) {
            ConfigNode entry = quotaEntries.get(i);
            long bytes = entry.parsed("bytes", ByteSize::parse)
                    .orElseThrow(() -> entry.invalid("bytes", "missing; a size such as 2GiB"));
            quotas.add(new QuotaRule("policies.quotas[" + i + "]", glob(entry, "repositories"), bytes));
            entry.warnUnread(warnings);
        }
        RetentionPolicy retention = policies.section("retention").map(r -> retention(r, warnings))
                .orElse(RetentionPolicy.NONE);
        Optional<Duration> verifyInterval = policies.section("verify").flatMap(verify -> {
            Optional<Duration> interval = duration(verify, "interval");
            if (interval.filter(d -> d.isZero() || d.isNegative()).isPresent()) {
                throw verify.invalid("interval", "must be positive");
            }
            verify.warnUnread(warnings);
            return interval;
        });
        policies.warnUnread(warnings);
        return new Policies(immutable, quotas, retention, verifyInterval);
    }

    private static RetentionPolicy retention(ConfigNode retention, List<String> warnings) {
        Optional<Duration> interval = duration(retention, "interval");
        if (interval.filter(Duration::isZero).isPresent()) throw retention.invalid("interval", "must be positive");
        boolean dryRun = retention.bool("dryrun").orElse(false);
        List<RetentionRule> rules = new ArrayList<>();
        List<ConfigNode> entries = retention.sections("rules");
        for (int i = 0; i < entries.size(); i++) {
            ConfigNode entry = entries.get(i);
            int keepLatest = entry.integer("keeplatest").orElse(0);
            if (keepLatest < 0) throw entry.invalid("keeplatest", "must not be negative");
            List<Glob> keepTags = new ArrayList<>();
            for (String pattern : entry.strings("keeptags")) {
                if (pattern.isEmpty()) throw entry.invalid("keeptags", "an empty pattern matches nothing");
                keepTags.add(Glob.of(pattern));
            }
            rules.add(new RetentionRule("policies.retention.rules[" + i + "]", glob(entry, "repositories"), keepLatest,
                    keepTags, duration(entry, "keepwithin"), duration(entry, "untagged")));
            entry.warnUnread(warnings);
        }
        retention.warnUnread(warnings);
        if (interval.isPresent() && rules.isEmpty()) warnings.add(retention.keyPath("interval") + ": no rules; nothing runs");
        return new RetentionPolicy(rules.isEmpty() ? Optional.empty() : interval, dryRun, rules);
    }

    private static Glob glob(ConfigNode node, String key) {
        String text = node.string(key).orElseThrow(() -> node.invalid(key, "missing; a pattern such as prod/**"));
        if (text.isEmpty()) throw node.invalid(key, "an empty pattern matches nothing");
        return Glob.of(text);
    }

    private static Optional<Duration> duration(ConfigNode node, String key) {
        Optional<Duration> value = node.parsed(key, GoDuration::parse);
        if (value.filter(Duration::isNegative).isPresent()) throw node.invalid(key, "must not be negative");
        return value;
    }
}
