package dev.berth.tool;

/**
 * The model's arguments do not fit the tool's schema; the tool was not called. The message
 * names each offending field and what was expected, and is meant to be sent back to the
 * model so it can correct its call. Not retryable: the same arguments fail the same way.
 */
public class InvalidArgumentsException extends ToolException {
    public InvalidArgumentsException(String messageForModel) {
        super(messageForModel, false, null, null);
    }
}
