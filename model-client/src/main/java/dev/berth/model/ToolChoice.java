package dev.berth.model;

import java.util.Objects;

/** Whether and which tool the model must call. */
public sealed interface ToolChoice {
    ToolChoice NONE = new Mode("none");
    ToolChoice AUTO = new Mode("auto");
    ToolChoice REQUIRED = new Mode("required");

    /** {@code none}, {@code auto} or {@code required}. */
    record Mode(String value) implements ToolChoice {
        public Mode {
            if (!value.equals("none") && !value.equals("auto") && !value.equals("required")) {
                throw new IllegalArgumentException("tool choice must be none, auto or required: " + value);
            }
        }
    }

    /** Forces a call of the named function. */
    record Function(String name) implements ToolChoice {
        public Function {
            Objects.requireNonNull(name, "name");
        }
    }
}
