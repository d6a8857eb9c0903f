package org.stevedore.auth;

import java.util.Optional;

/**
 * What a request presents to prove who sent it. Never log the authorization value: it holds a
 * password or a token.
 *
 * @param authorization the {@code Authorization} header, if sent
 * @param remoteAddress the client's address, for rate limits and logs
 */
public record Credentials(Optional<String> authorization, String remoteAddress) {
    @Override
    public String toString() {
        return "Credentials[authorization=" + (authorization.isPresent() ? "<hidden>" : "none")
                + ", remoteAddress=" + remoteAddress + "]";
    }
}
