package dev.berth.tool;

/**
 * A tool failure the tool author chose to report. {@link #getMessage()} goes to the model,
 * so it should say what went wrong in terms the model can act on; the operator detail
 * goes to logs and events only.
 */
public class ToolException extends RuntimeException {

    private final boolean retryable;
    private final String operatorDetail;

    public ToolException(String messageForModel) {
        this(messageForModel, false, null, null);
    }

    public ToolException(String messageForModel, boolean retryable, String operatorDetail, Throwable cause) {
        super(messageForModel, cause);
        this.retryable = retryable;
        this.operatorDetail = operatorDetail;
    }

    /** A failure that may go away if the call is made again (timeouts, throttling). */
    public static ToolException retryable(String messageForModel) {
        return new ToolException(messageForModel, true, null, null);
    }

    public boolean retryable() {
        return retryable;
    }

    /** Detail for the operator (never shown to the model), or null. */
    public String operatorDetail() {
        return operatorDetail;
    }
}
