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
        if (failure instanceof PgException pg && !isConnectionState(pg.getSqlState())) {
            return failure;
        }
        if (failure instanceof PgException || failure instanceof java.io.IOException
                || failure instanceof io.vertx.core.VertxException
                || failure.getClass().getName().startsWith("io.netty.channel")
                || failure.getClass().getName().contains("ConnectException")) {
            return new UnavailableException("the database is unavailable; retry the request", failure);
        }
        return failure;
    }

    /** Connection exceptions (08), shutdown (57P), and too many connections (53300). */
    private static boolean isConnectionState(String state) {
        return state != null && (state.startsWith("08") || state.startsWith("57P") || state.equals("53300"));
    }

    public static boolean isUniqueViolation(Throwable failure) {
        return failure instanceof PgException pg && "23505".equals(pg.getSqlState());
    }
}
