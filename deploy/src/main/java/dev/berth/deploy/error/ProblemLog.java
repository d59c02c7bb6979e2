package dev.berth.deploy.error;

import java.time.Clock;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Logs each problem Berth answers, once. A client error (4xx) is one line at DEBUG with its type,
 * status and request id, and no stack trace: it is the client's mistake, and logging it louder
 * would let any client fill the logs. A server error (5xx) is logged at ERROR with its stack
 * trace, but at most {@link #PER_MINUTE} a minute for each kind of exception; the rest are counted
 * and the count reported (see {@link ErrorLogThrottle}).
 */
public final class ProblemLog {
    /** Server errors of one kind logged in full a minute. */
    public static final int PER_MINUTE = 10;

    private static final Logger LOG = Logger.getLogger(ProblemLog.class);
    private static final ErrorLogThrottle THROTTLE = new ErrorLogThrottle(PER_MINUTE, Duration.ofMinutes(1),
            Clock.systemUTC());

    private ProblemLog() {
    }

    /** A problem answered for a client's mistake. */
    public static void clientError(Problems.Problem problem) {
        LOG.debugf("Answered %d %s (request %s): %s", problem.status(), problem.slug(), problem.requestId(),
                problem.detail());
    }

    /** A problem answered for a server fault: {@code cause} is logged with its stack, within the limit. */
    public static void serverError(Problems.Problem problem, Throwable cause) {
        serverError(THROTTLE, problem, cause);
    }

    static void serverError(ErrorLogThrottle throttle, Problems.Problem problem, Throwable cause) {
        String kind = cause == null ? problem.slug() : cause.getClass().getName();
        ErrorLogThrottle.Verdict verdict = throttle.admit(kind);
        if (verdict.suppressedBefore() > 0) {
            LOG.errorf("Suppressed %d more server errors of %s in the previous minute", verdict.suppressedBefore(),
                    kind);
        }
        if (verdict.log()) {
            LOG.errorf(cause, "Answered %d %s (request %s): %s", problem.status(), problem.slug(), problem.requestId(),
                    cause == null ? problem.detail() : cause.toString());
        } else if (verdict.firstSuppressed()) {
            LOG.errorf("More than %d server errors of %s this minute: the rest are counted, not logged", PER_MINUTE,
                    kind);
        }
    }

    /** Logs the problem as a client or server error, by its status. */
    public static void answered(Problems.Problem problem, Throwable cause) {
        if (problem.status() >= 500) {
            serverError(problem, cause);
        } else {
            clientError(problem);
        }
    }
}
