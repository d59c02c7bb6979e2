package dev.berth.runtime.error;

/**
 * A failure the API reports to its client. Each subtype maps to one HTTP status and one
 * stable problem type; the message is safe to show (no internals, no secrets).
 */
public abstract sealed class BerthException extends RuntimeException
        permits NotFoundException, ValidationException, ConflictException, UnavailableException,
        AuthenticationException, ForbiddenException, KeyReusedException, InProgressException,
        QuotaExceededException {

    private final String problemType;

    protected BerthException(String problemType, String message, Throwable cause) {
        super(message, cause);
        this.problemType = problemType;
    }

    /** The last segment of the problem type URI, e.g. {@code not-found}. */
    public String problemType() {
        return problemType;
    }
}
