package dev.berth.store.internal;

import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Silences a known fault of the Vert.x SQL client's pool that follows every database outage.
 *
 * <p>A statement run on the pool itself ({@code pool.preparedQuery(...).execute(...)}, as every
 * store here does) arms a timer for the pool's connection timeout (30 s) before it asks for a
 * connection. When the connection cannot be had (the database is down), the statement fails at
 * once, but the timer is only cancelled on success: 30 s later it fails the promise again, which
 * throws {@code IllegalStateException: Result is already complete} into Vert.x, and Quarkus logs
 * that as an ERROR with a 30-line stack. One per statement tried during the outage: hundreds, all
 * half a minute after the database came back. Nothing else happens: the statement's caller got
 * its failure long before. This is
 * <a href="https://github.com/eclipse-vertx/vertx-sql-client/issues/1706">vertx-sql-client#1706</a>
 * ({@code SqlConnectionPool.execute} leaves its timer armed when {@code acquire} fails), open
 * and present in every 4.5 release up to the newest checked (4.5.34), so there is no version to
 * upgrade to (ADR 0027).
 *
 * <p>So this wraps the Vert.x exception handler Quarkus installed: that exact exception, thrown
 * from that timer, is counted and logged once per process at INFO (without its stack); every
 * other uncaught exception goes to the handler as before. Connections acquired explicitly
 * ({@code withConnection}, {@code withTransaction}, Hibernate Reactive) take another path whose
 * timer is cancelled, and are not affected.
 */
@ApplicationScoped
public class StalePoolTimers {
    private static final Logger LOG = Logger.getLogger(StalePoolTimers.class);
    private static final String POOL_CLASS = "io.vertx.sqlclient.impl.pool.SqlConnectionPool";

    private final Vertx vertx;
    private final AtomicLong ignored = new AtomicLong();

    @Inject
    public StalePoolTimers(Vertx vertx) {
        this.vertx = vertx;
    }

    void install(@Observes StartupEvent event) {
        Handler<Throwable> previous = vertx.exceptionHandler();
        vertx.exceptionHandler(failure -> {
            if (isStaleTimer(failure)) {
                if (ignored.getAndIncrement() == 0) {
                    LOG.info("Ignoring the stale connection-timeout timers the database pool fires 30 s after a"
                            + " statement could not get a connection (vertx-sql-client#1706; harmless, counted)");
                }
            } else if (previous != null) {
                previous.handle(failure);
            } else {
                LOG.error("Uncaught exception in Vert.x", failure);
            }
        });
    }

    /** Stale timers ignored since the process started. */
    public long ignored() {
        return ignored.get();
    }

    /** The exception, and only it: a promise completed twice, by the pool's execute timer. */
    static boolean isStaleTimer(Throwable failure) {
        if (!(failure instanceof IllegalStateException) || !"Result is already complete".equals(failure.getMessage())) {
            return false;
        }
        for (StackTraceElement frame : failure.getStackTrace()) {
            if (POOL_CLASS.equals(frame.getClassName()) && frame.getMethodName().startsWith("lambda$execute")) {
                return true;
            }
        }
        return false;
    }
}
