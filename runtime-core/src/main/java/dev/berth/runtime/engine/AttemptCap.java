package dev.berth.runtime.engine;

import dev.berth.runtime.run.ClaimedRun;
import dev.berth.runtime.run.RunError;

/**
 * The cap on a run's failed attempts across claims (ADR 0021). The count is kept on the run in
 * PostgreSQL: a claim that gives the run back after its steps kept failing adds one, a takeover
 * of an expired lease adds one, a committed step sets it back to 0. Without the cap a run whose
 * steps always fail, or whose step always kills its process, would be claimed again for ever.
 */
record AttemptCap(int maxAttempts) {
    static final String CODE = "attempts_exhausted";
    /** Enough of the last error to tell what went wrong, not a whole stack of causes. */
    private static final int MAX_ERROR_CHARS = 500;

    AttemptCap {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("berth.engine.max-attempts must be at least 1, was " + maxAttempts);
        }
    }

    /** Whether the run is not to be executed again: its earlier claims used up its attempts. */
    boolean usedUp(ClaimedRun claimed) {
        return claimed.failedAttempts() >= maxAttempts;
    }

    /** Whether this claim, giving up after failed steps, is the run's last allowed attempt. */
    boolean lastAttempt(ClaimedRun claimed) {
        return claimed.failedAttempts() + 1 >= maxAttempts;
    }

    /**
     * Why a run whose earlier claims used up its attempts fails: the last one's process stopped
     * (the lease expired) or, when failing the run itself failed, gave the run back; which one and
     * its error are in that process's log.
     */
    RunError usedUpError() {
        return new RunError(CODE, "the run was given up after " + maxAttempts + " or more failed attempts without"
                + " a committed step; the last attempt's process stopped or gave the run back");
    }

    /** Why a run fails when this claim's steps kept failing too; names the last error. */
    RunError exhaustedBy(ClaimedRun claimed, Throwable last) {
        String error = last.getMessage() == null ? "an unexpected error" : last.getMessage();
        if (error.length() > MAX_ERROR_CHARS) {
            error = error.substring(0, MAX_ERROR_CHARS) + "...";
        }
        return new RunError(CODE, "the run was given up after " + (claimed.failedAttempts() + 1)
                + " failed attempts without a committed step; the last error: " + error);
    }
}
