package dev.berth.runtime.engine;

/** The run's wall-clock limit was reached during a model call or a tool call. */
final class RunTimedOut extends RuntimeException {
    RunTimedOut() {
        super("run timed out", null, false, false);
    }
}
