package dev.berth.runtime.run;

import java.util.Locale;

/** What a paused run waits for from outside, per pending action. */
public enum ActionKind {
    /** The client executes a tool Berth never executes, and sends its output. */
    CLIENT_TOOL,
    /** A human approves or denies a server-side tool call before it runs. */
    APPROVAL;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ActionKind fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
