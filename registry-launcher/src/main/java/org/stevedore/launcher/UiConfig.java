package org.stevedore.launcher;

import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Stevedore's own {@code ui} section: the web UI under {@code /ui/} on the main listener.
 *
 * <pre>
 * ui:
 *   enabled: true          # default; REGISTRY_UI_ENABLED=false turns it off
 *   sessionkey: BASE64     # optional, at least 32 bytes: signs session cookies; by default a key
 *                          # kept in storage (every node over one store shares it)
 * </pre>
 *
 * @param sessionKey the decoded key, if configured
 */
record UiConfig(boolean enabled, Optional<byte[]> sessionKey) {
    static final UiConfig DEFAULT = new UiConfig(true, Optional.empty());
    private static final int MIN_KEY_BYTES = 32;

    static UiConfig read(ConfigNode ui, List<String> warnings) {
        boolean enabled = ui.bool("enabled").orElse(true);
        Optional<byte[]> key = ui.string("sessionkey").map(text -> {
            byte[] decoded;
            try {
                decoded = Base64.getDecoder().decode(text.strip());
            } catch (IllegalArgumentException e) {
                throw ui.invalid("sessionkey", "is not base64 (make one with: openssl rand -base64 32)");
            }
            if (decoded.length < MIN_KEY_BYTES) {
                throw ui.invalid("sessionkey", "needs at least " + MIN_KEY_BYTES + " bytes, got " + decoded.length);
            }
            return decoded;
        });
        ui.warnUnread(warnings);
        return new UiConfig(enabled, key);
    }

    @Override
    public String toString() {
        return "UiConfig[enabled=" + enabled + ", sessionKey=" + (sessionKey.isPresent() ? "<hidden>" : "storage") + "]";
    }
}
