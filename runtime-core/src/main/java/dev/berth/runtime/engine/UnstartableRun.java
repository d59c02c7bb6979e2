package dev.berth.runtime.engine;

import dev.berth.runtime.error.UnavailableException;
import dev.berth.runtime.observe.LogContext;
import dev.berth.runtime.run.ClaimedRun;
import dev.berth.runtime.run.RunError;
import dev.berth.runtime.run.RunEvent;
import dev.berth.runtime.run.RunStore;
import dev.berth.runtime.run.StepCommit;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * A claimed run whose execution could not even be set up (its agent version unreadable, say).
 * Left alone it would stay {@code running} under a lease nobody renews, be claimed again after
 * every lease period and fail the same way, and a cancellation would never be applied, as only
 * a live execution applies one. So it is settled at once: cancelled when that was asked for,
 * failed otherwise. Only a store that cannot be reached is worth a retry: then the lease is
 * given back for any process to claim the run again.
 */
final class UnstartableRun {
    private static final Logger LOG = Logger.getLogger(UnstartableRun.class);
    static final String CODE = "run_start_failed";

    private UnstartableRun() {
    }

    /** Settles or releases the run; never fails. */
    static Uni<Void> settle(RunStore runs, ClaimedRun claimed, Throwable failure, Duration leaseTtl) {
        if (failure instanceof UnavailableException) {
            LogContext.of(claimed.run(), () -> LOG.warnf("Run %s could not start (%s); giving it back",
                    claimed.run().id(), failure.toString()));
            return runs.release(claimed.lease()).onFailure().recoverWithNull().replaceWithVoid();
        }
        LogContext.of(claimed.run(), () -> LOG.errorf(failure, "Run %s could not start; settling it", claimed.run().id()));
        StepCommit commit;
        if (claimed.cancelRequested()) {
            commit = StepCommit.after(RunEvent.STOP_CANCELLED).event(EventPayloads.runCancelled("cancel requested")).build();
        } else {
            RunError error = new RunError(CODE, "the run could not be started: its agent version could not be used");
            commit = StepCommit.after(RunEvent.FAIL).event(EventPayloads.runFailed(error)).error(error).build();
        }
        return runs.commit(claimed.lease(), commit, leaseTtl).replaceWithVoid()
                .onFailure().invoke(e -> LogContext.of(claimed.run(),
                        () -> LOG.warnf("Could not settle run %s: %s", claimed.run().id(), e.toString())))
                .onFailure().recoverWithNull();
    }
}
