package dev.berth.model.internal.resilience;

/** A monotonic nanosecond clock, injected so tests can move time by hand. */
@FunctionalInterface
public interface Ticker {
    long nanos();

    static Ticker system() {
        return System::nanoTime;
    }
}
