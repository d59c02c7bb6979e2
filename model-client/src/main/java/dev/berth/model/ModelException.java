package dev.berth.model;

/**
 * A failed model call, typed by what the caller can do about it. Messages never contain
 * credentials.
 */
public abstract sealed class ModelException extends RuntimeException
        permits ModelException.ContentFiltered, ModelException.ContextLengthExceeded, ModelException.Throttled,
        ModelException.Unavailable, ModelException.BadRequest, ModelException.Authentication {

    private final int status;

    protected ModelException(String message, int status, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** The HTTP status the provider answered, or 0 when no answer came. */
    public int status() {
        return status;
    }

    /** Whether the same call may succeed if made again later. */
    public abstract boolean retryable();

    /** The provider's content filter refused the prompt or the answer; never retried. */
    public static final class ContentFiltered extends ModelException {
        private final java.util.List<String> categories;

        public ContentFiltered(String message, int status, java.util.List<String> categories) {
            super(message, status, null);
            this.categories = java.util.List.copyOf(categories);
        }

        public java.util.List<String> categories() {
            return categories;
        }

        @Override
        public boolean retryable() {
            return false;
        }
    }

    /** The prompt does not fit the model's context; the runtime can compact and retry. */
    public static final class ContextLengthExceeded extends ModelException {
        public ContextLengthExceeded(String message) {
            super(message, 400, null);
        }

        @Override
        public boolean retryable() {
            return false;
        }
    }

    /** Rate limited (429) after the client's own retries. */
    public static final class Throttled extends ModelException {
        private final java.time.Duration retryAfter;

        public Throttled(String message, java.time.Duration retryAfter) {
            super(message, 429, null);
            this.retryAfter = retryAfter;
        }

        /** The provider's hint, or null. */
        public java.time.Duration retryAfter() {
            return retryAfter;
        }

        @Override
        public boolean retryable() {
            return true;
        }
    }

    /** The provider is down, timed out or the connection failed, after the client's own retries. */
    public static final class Unavailable extends ModelException {
        private final java.time.Duration retryAfter;

        public Unavailable(String message, int status, Throwable cause) {
            this(message, status, cause, null);
        }

        /** With the provider's wait hint ({@code retry-after-ms} or {@code Retry-After} on a 503, say). */
        public Unavailable(String message, int status, Throwable cause, java.time.Duration retryAfter) {
            super(message, status, cause);
            this.retryAfter = retryAfter;
        }

        /** The provider's hint, or null. */
        public java.time.Duration retryAfter() {
            return retryAfter;
        }

        @Override
        public boolean retryable() {
            return true;
        }
    }

    /** The provider rejected the request as malformed; making it again will not help. */
    public static final class BadRequest extends ModelException {
        public BadRequest(String message, int status) {
            super(message, status, null);
        }

        @Override
        public boolean retryable() {
            return false;
        }
    }

    /** The credentials were refused (401/403). */
    public static final class Authentication extends ModelException {
        public Authentication(String message, int status) {
            super(message, status, null);
        }

        @Override
        public boolean retryable() {
            return false;
        }
    }
}
