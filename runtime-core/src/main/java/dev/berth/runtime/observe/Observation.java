package dev.berth.runtime.observe;

/** Something under way that the observer times; ended exactly once. Thread safe. */
public interface Observation {
    Observation NONE = failure -> { };

    /** @param failure why it failed, or null when it succeeded */
    void ended(Throwable failure);
}
