package dev.berth.runtime.observe;

import java.util.UUID;
import org.jboss.logging.MDC;

/**
 * The ids a log line about a run carries in the MDC: {@code tenantId}, {@code sessionId},
 * {@code runId} (JSON logs show them as fields). The engine's work hops between threads, so
 * the ids are set around each log statement rather than for a whole run; previous values are
 * restored, so request handling keeps its own.
 */
public final class LogContext {
    public static final String TENANT_ID = "tenantId";
    public static final String SESSION_ID = "sessionId";
    public static final String RUN_ID = "runId";

    private LogContext() {
    }

    /** Runs {@code log} with the run's ids in the MDC. */
    public static void of(Object tenant, UUID sessionId, UUID runId, Runnable log) {
        Object tenantBefore = MDC.get(TENANT_ID);
        Object sessionBefore = MDC.get(SESSION_ID);
        Object runBefore = MDC.get(RUN_ID);
        put(TENANT_ID, tenant);
        put(SESSION_ID, sessionId);
        put(RUN_ID, runId);
        try {
            log.run();
        } finally {
            put(TENANT_ID, tenantBefore);
            put(SESSION_ID, sessionBefore);
            put(RUN_ID, runBefore);
        }
    }

    /** Runs {@code log} with the ids of {@code run} in the MDC. */
    public static void of(dev.berth.runtime.run.Run run, Runnable log) {
        of(run.tenant(), run.sessionId(), run.id(), log);
    }

    private static void put(String key, Object value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value.toString());
        }
    }
}
