package org.stevedore.tls;

import java.util.List;

/**
 * The lowest TLS version a server accepts. Older versions (1.0, 1.1) are not offered at all: they
 * are disabled in current JDKs and clients for good reasons.
 */
public enum TlsVersion {
    TLS_1_2("tls1.2", List.of("TLSv1.3", "TLSv1.2")),
    TLS_1_3("tls1.3", List.of("TLSv1.3"));

    private final String configName;
    private final List<String> protocols;

    TlsVersion(String configName, List<String> protocols) {
        this.configName = configName;
        this.protocols = protocols;
    }

    /** The name in distribution's {@code http.tls.minimumtls}, e.g. {@code tls1.2}. */
    public String configName() {
        return configName;
    }

    /** JSSE protocol names enabled with this minimum, newest first. */
    public List<String> protocols() {
        return protocols;
    }
}
