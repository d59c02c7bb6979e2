package dev.berth.deploy.audit;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Decides which failed authentications are written to the audit trail: at most {@code perMinute}
 * per source (the client's address) in each minute, so a flood of bad keys cannot fill the table
 * (ADR 0034). Memory is bounded too: at most {@code maxSources} sources are tracked in a minute;
 * once full, every further source shares one overflow allowance of {@code perMinute}. The window
 * is the wall-clock minute, and starts over (all counts dropped) when it changes.
 */
public final class AuditFailedAuthSampler {
    static final String OVERFLOW = "*";

    private final int perMinute;
    private final int maxSources;
    private final LongSupplier clockMillis;
    private volatile Window window;

    public AuditFailedAuthSampler(int perMinute, int maxSources, LongSupplier clockMillis) {
        if (perMinute < 0 || maxSources < 1) {
            throw new IllegalArgumentException("perMinute must be >= 0 and maxSources >= 1");
        }
        this.perMinute = perMinute;
        this.maxSources = maxSources;
        this.clockMillis = clockMillis;
        this.window = new Window(minute(), new ConcurrentHashMap<>());
    }

    /** Whether this failure of {@code source} is to be recorded; counts it either way. */
    public boolean admit(String source) {
        Window current = current();
        String counted = current.counts.size() >= maxSources && !current.counts.containsKey(source) ? OVERFLOW : source;
        return current.counts.computeIfAbsent(counted, any -> new AtomicInteger()).incrementAndGet() <= perMinute;
    }

    /** Sources tracked in the current minute (for tests of the memory bound). */
    int tracked() {
        return current().counts.size();
    }

    private Window current() {
        long minute = minute();
        Window current = window;
        if (current.minute != minute) {
            // Two threads may both start a new window; one wins, the other's count is lost: harmless.
            current = new Window(minute, new ConcurrentHashMap<>());
            window = current;
        }
        return current;
    }

    private long minute() {
        return clockMillis.getAsLong() / 60_000;
    }

    private record Window(long minute, Map<String, AtomicInteger> counts) {
    }
}
