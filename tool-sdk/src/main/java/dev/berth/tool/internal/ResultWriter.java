package dev.berth.tool.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.berth.tool.ToolException;

/** Renders what a tool returned as the text the model reads. Stateless and thread safe. */
final class ResultWriter {

    static final String VOID_RESULT = "ok";

    private ResultWriter() {
    }

    /**
     * A {@code String} as is (the author chose the wording), nothing as {@code "ok"} so the
     * model knows the call succeeded, anything else as JSON; a null from a method that
     * declares a value is the JSON {@code null}.
     */
    static String render(Object result, boolean returnsNothing, String toolName) {
        if (returnsNothing) {
            return VOID_RESULT;
        }
        if (result instanceof CharSequence text) {
            return text.toString();
        }
        try {
            return ToolJson.MAPPER.writeValueAsString(result);
        } catch (JsonProcessingException e) {
            throw new ToolException("The tool '" + toolName + "' produced a result that could not be read.",
                    false, "result of " + toolName + " is not serializable as JSON: " + e.getOriginalMessage(), e);
        }
    }
}
