package dev.berth.runtime.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * The log of a periodic task of the engine (claiming runs, renewing leases) through a database
 * outage: one WARN line when it starts failing, DEBUG while it keeps failing, one INFO line when
 * it works again; instead of a WARN every poll or heartbeat for as long as the outage lasts.
 *
 * <p>Thread safe.
 */
final class RepeatedFailureLog {
    private final Logger log;
    private final String task;
    private final Clock clock;
    private final AtomicInteger failures = new AtomicInteger();
    private volatile Instant since;

    /** @param task what the task does, as a verb phrase ("claim runs") */
    RepeatedFailureLog(Logger log, String task, Clock clock) {
        this.log = log;
        this.task = task;
        this.clock = clock;
    }

    void failed(Throwable failure) {
        if (failures.getAndIncrement() == 0) {
            since = clock.instant();
            log.warnf("Could not %s: %s; trying again (further failures at DEBUG until it works)", task, failure);
        } else {
            log.debugf("Could not %s: %s", task, failure);
        }
    }

    void succeeded() {
        int failed = failures.getAndSet(0);
        if (failed > 0) {
            Instant from = since;
            long millis = from == null ? 0 : Duration.between(from, clock.instant()).toMillis();
            log.infof("Could %s again, after %d failed tries over %d ms", task, failed, millis);
        }
    }
}
