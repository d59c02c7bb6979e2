package dev.berth.runtime.error;

import java.util.UUID;

/**
 * A write carried a stale lease epoch: another process owns the run now. The write had no
 * effect; the caller must stop working on the run.
 */
public final class FencedOutException extends RuntimeException {
    public FencedOutException(UUID runId, long epoch) {
        super("lease epoch " + epoch + " of run " + runId + " is no longer current");
    }
}
