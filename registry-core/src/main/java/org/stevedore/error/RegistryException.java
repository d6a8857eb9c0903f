package org.stevedore.error;

import java.util.Optional;

/**
 * A registry rule was broken; carries the {@link ErrorCode} the client gets and a detail message.
 * Unchecked: services throw it, handlers let it pass to the one error writer.
 */
public final class RegistryException extends RuntimeException {
    private final ErrorCode code;
    private final String detail;

    public RegistryException(ErrorCode code, String detail) {
        super(detail == null ? code.message() : code.message() + ": " + detail, null, false, false);
        this.code = code;
        this.detail = detail;
    }

    public RegistryException(ErrorCode code, String detail, Throwable cause) {
        super(detail == null ? code.message() : code.message() + ": " + detail, cause, false, false);
        this.code = code;
        this.detail = detail;
    }

    public ErrorCode code() {
        return code;
    }

    public Optional<String> detail() {
        return Optional.ofNullable(detail);
    }
}
