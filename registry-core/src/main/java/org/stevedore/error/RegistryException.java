package org.stevedore.error;

import java.util.Optional;

/**
 * A registry rule was broken; carries the {@link ErrorCode} the client gets and a detail message.
 * Unchecked: services throw it, handlers let it pass to the one error writer.
 */
public final class RegistryException extends RuntimeException {
    private final ErrorCode code;
    private final String detail;
    /** What the client is told instead of the code's generic message; null for that message. */
    private final String message;

    public RegistryException(ErrorCode code, String detail) {
        super(detail == null ? code.message() : code.message() + ": " + detail, null, false, false);
        this.code = code;
        this.detail = detail;
        this.message = null;
    }

    private RegistryException(ErrorCode code, String message, String detail) {
        super(detail == null ? message : message + ": " + detail, null, false, false);
        this.code = code;
        this.detail = detail;
        this.message = message;
    }

    /**
     * An exception whose error body's {@code message} is {@code message} rather than the code's
     * generic text: clients (docker, podman, skopeo) print the message and drop the detail, so a
     * refusal they must explain (which policy rule denied a push) says it there.
     */
    public static RegistryException withMessage(ErrorCode code, String message) {
        return new RegistryException(code, java.util.Objects.requireNonNull(message, "message"), (String) null);
    }

    public RegistryException(ErrorCode code, String detail, Throwable cause) {
        super(detail == null ? code.message() : code.message() + ": " + detail, cause, false, false);
        this.code = code;
        this.detail = detail;
        this.message = null;
    }

    public ErrorCode code() {
        return code;
    }

    /** The {@code message} of the error body: the code's generic text unless one was given. */
    public String clientMessage() {
        return message != null ? message : code.message();
    }

    public Optional<String> detail() {
        return Optional.ofNullable(detail);
    }
}
