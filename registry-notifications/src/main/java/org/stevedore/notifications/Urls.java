package org.stevedore.notifications;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** User info in endpoint URLs: Go's HTTP client sends it as Basic auth; Java's ignores it, so it is moved to a header. */
final class Urls {
    private Urls() {
    }

    static URI withoutUserInfo(URI url) {
        if (url.getRawUserInfo() == null) return url;
        try {
            return new URI(url.getScheme(), null, url.getHost(), url.getPort(), url.getPath(), url.getQuery(),
                    url.getFragment());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("endpoint URL cannot be rebuilt without its user info", e);
        }
    }

    /** {@code Basic base64(user:password)} from the URL's user info, if it has any. */
    static Optional<String> basicAuthorization(URI url) {
        String userInfo = url.getUserInfo();
        if (userInfo == null || userInfo.isEmpty()) return Optional.empty();
        return Optional.of("Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8)));
    }
}
