package dev.berth.model.internal.auth;

/** One credential header; {@link #toString()} hides the value. */
public record AuthHeader(String name, String value) {
    @Override
    public String toString() {
        return name + ": ***";
    }
}
