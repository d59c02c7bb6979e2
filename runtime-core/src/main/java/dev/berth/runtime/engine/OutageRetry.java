package dev.berth.runtime.engine;

import dev.berth.runtime.error.FencedOutException;
import dev.berth.runtime.error.UnavailableException;
import dev.berth.runtime.observe.LogContext;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * How one execution rides out a database it cannot reach (ADR 0025): it keeps the run, and what
 * its step holds (the model's answer, the tools' results), in memory and tries again with the
 * same lease, pausing from {@code berth.engine.db-retry-backoff} doubling up to
 * {@code db-retry-max-backoff}, until the database answers. Only the fence decides that the run
 * is lost: a write refused with {@link FencedOutException}, or the heartbeat saying the lease is
 * not held ({@link ExecutionState#lost}). Such failures are not the step's fault and are never
 * counted as failed attempts (ADR 0021).
 *
 * <p>One WARN line when an outage begins for the run, one INFO line when the run goes on.
 *
 * <p>Not thread safe: used by one execution, whose steps run one after the other.
 */
final class OutageRetry {
    private static final Logger LOG = Logger.getLogger(OutageRetry.class);

    private final ExecutionState run;
    /** Failed tries since the database last answered; 0 when it did. */
    private int failures;
    private Instant since;

    OutageRetry(ExecutionState run) {
        this.run = run;
    }

    /**
     * Whether the failure says the database (or another shared resource) cannot be reached now,
     * rather than that the step is wrong: the store reports a refused, closed or timed-out
     * connection and a server shutting down as {@link UnavailableException} (session-store's
     * DbErrors). The one place this distinction is made.
     */
    static boolean isOutage(Throwable failure) {
        return failure instanceof UnavailableException;
    }

    /**
     * A fenced write, tried until the database answers it: its result, or the store's refusal
     * (a stale lease fails with {@link FencedOutException}, any other error as it came). Fails with
     * {@link FencedOutException} when the execution is lost meanwhile.
     *
     * @param first the write
     * @param again the write for each later try: it must be safe when an earlier try committed
     *              and only its answer was lost (see {@code RunStore#commitAgain})
     */
    <T> Uni<T> write(Supplier<Uni<T>> first, Supplier<Uni<T>> again) {
        if (run.lost) {
            return Uni.createFrom().failure(lostLease());
        }
        return Uni.createFrom().<T>deferred(first::get)
                .invoke(this::answered)
                .onFailure(OutageRetry::isOutage).recoverWithUni(failure ->
                        Uni.createFrom().voidItem().onItem().delayIt().by(failed(failure))
                                .chain(() -> write(again, again)));
    }

    /**
     * A step failed because the database cannot be reached: logs it (once per outage) and
     * returns the pause before the step is made again.
     */
    Duration failed(Throwable failure) {
        failures++;
        if (failures == 1) {
            since = run.parts.clock().instant();
            LogContext.of(run.claimed.run(), () -> LOG.warnf("Run %s cannot reach the database (%s); keeping the run"
                    + " and what its step holds, and trying again", run.runId(), failure.toString()));
        } else {
            LOG.debugf("Run %s: database still unreachable (%d tries): %s", run.runId(), failures, failure);
        }
        return pause();
    }

    /** The database answered (the step went through, or was refused for a reason of its own). */
    void answered() {
        if (failures == 0) {
            return;
        }
        int tries = failures;
        Duration down = Duration.between(since, run.parts.clock().instant());
        failures = 0;
        LogContext.of(run.claimed.run(), () -> LOG.infof("Run %s goes on: the database answered again after %d ms"
                + " (%d failed tries)", run.runId(), down.toMillis(), tries));
    }

    private Duration pause() {
        Duration first = run.parts.config().dbRetryBackoff();
        Duration max = run.parts.config().dbRetryMaxBackoff();
        // 2^(failures-1) times the first pause, without overflowing on a long outage.
        int doublings = Math.min(failures - 1, 20);
        Duration pause = first.multipliedBy(1L << doublings);
        return pause.compareTo(max) > 0 ? max : pause;
    }

    private FencedOutException lostLease() {
        return new FencedOutException(run.runId(), run.claimed.lease().epoch());
    }
}
