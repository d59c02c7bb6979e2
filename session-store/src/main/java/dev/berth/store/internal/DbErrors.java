package dev.berth.store.internal;

import dev.berth.runtime.error.BerthException;
import dev.berth.runtime.error.FencedOutException;
import dev.berth.runtime.error.UnavailableException;
import io.vertx.pgclient.PgException;

/**
 * Turns failures of the database into what the runtime can act on: a client mistake stays
 * what it is; a lost connection or a server shutting down becomes a retryable
 * {@link UnavailableException}.
 */
public final class DbErrors {
    private DbErrors() {
    }

    public static Throwable translate(Throwable failure) {
        if (failure instanceof BerthException || failure instanceof FencedOutException) {
            return failure;
        }
        java.util.Optional<dev.berth.runtime.error.QuotaExceededException> overQuota = CountQuotaCheck.exceeded(failure);
        if (overQuota.isPresent()) {
            return overQuota.get();
        }
        // Hibernate Reactive and CompletionStages wrap the pool's failure: look down the chain.
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (isConnectionFailure(cause)) {
                return new UnavailableException("the database is unavailable; retry the request", cause);
            }
        }
        return failure;
    }

    private static boolean isConnectionFailure(Throwable failure) {
        if (failure instanceof PgException pg) {
            return isConnectionState(pg.getSqlState());
        }
        // The pool reports a connection it lost or could not get as a bare NoStackTraceThrowable
        // ("Connection is not active now", "Timeout"): the database is what is missing.
        return failure instanceof java.io.IOException
                || failure instanceof io.vertx.core.VertxException
                || failure.getClass().getName().startsWith("io.vertx.core.impl.NoStackTrace")
                || failure.getClass().getName().startsWith("io.netty.channel")
                || failure.getClass().getName().contains("ConnectException");
    }

    /** Connection exceptions (08), shutdown (57P), and too many connections (53300). */
    private static boolean isConnectionState(String state) {
        return state != null && (state.startsWith("08") || state.startsWith("57P") || state.equals("53300"));
    }

    /** The SQLSTATE of an error Berth's own database functions raise (class BR), or "" for any other failure. */
    public static String berthCode(Throwable failure) {
        return failure instanceof PgException pg && pg.getSqlState() != null && pg.getSqlState().startsWith("BR")
                ? pg.getSqlState() : "";
    }

    public static boolean isUniqueViolation(Throwable failure) {
        return failure instanceof PgException pg && "23505".equals(pg.getSqlState());
    }
}
