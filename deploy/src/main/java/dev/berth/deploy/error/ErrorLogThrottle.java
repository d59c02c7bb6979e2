package dev.berth.deploy.error;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Bounds how many server errors of one kind are logged: the first {@code perWindow} of each
 * window (a minute by default) are logged in full, the rest are only counted, and the count is
 * reported once the next window starts. A key holder who can make one request fail can then repeat
 * it without filling the logs: at most {@code perWindow + 1} lines a window for each kind.
 * Thread-safe; each kind's counter is updated atomically.
 */
final class ErrorLogThrottle {
    // Kinds are exception classes, a bounded set; this guards against a bug that makes them open-ended.
    private static final int MAX_KINDS = 1_000;
    private static final String OTHER = "other";

    private final int perWindow;
    private final Duration window;
    private final Clock clock;
    private final ConcurrentMap<String, Window> windows = new ConcurrentHashMap<>();

    ErrorLogThrottle(int perWindow, Duration window, Clock clock) {
        if (perWindow < 1) {
            throw new IllegalArgumentException("perWindow must be at least 1, was " + perWindow);
        }
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive, was " + window);
        }
        this.perWindow = perWindow;
        this.window = window;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * What to do with one more error of {@code kind}.
     *
     * @param log whether to log it in full
     * @param suppressedBefore errors of this kind left out of the log in the window that ended
     *     before this one (to report once, with this error)
     * @param firstSuppressed whether this is the first error of its window left out (to say once
     *     that the following ones are left out)
     */
    record Verdict(boolean log, long suppressedBefore, boolean firstSuppressed) {
    }

    Verdict admit(String kind) {
        Instant now = clock.instant();
        String key = windows.size() >= MAX_KINDS && !windows.containsKey(kind) ? OTHER : kind;
        Window updated = windows.compute(key, (k, current) -> current == null || !now.isBefore(current.end())
                ? new Window(now.plus(window), 1, 0, current == null ? 0 : current.suppressed())
                : current.oneMore(perWindow));
        boolean log = updated.suppressed() == 0;
        return new Verdict(log, log && updated.logged() == 1 ? updated.suppressedBefore() : 0,
                updated.suppressed() == 1);
    }

    private record Window(Instant end, int logged, long suppressed, long suppressedBefore) {
        Window oneMore(int perWindow) {
            return logged < perWindow ? new Window(end, logged + 1, suppressed, suppressedBefore)
                    : new Window(end, logged, suppressed + 1, suppressedBefore);
        }
    }
}
