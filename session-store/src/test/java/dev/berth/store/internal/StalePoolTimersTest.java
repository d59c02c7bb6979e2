package dev.berth.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Only the pool's stale timer is ignored (vertx-sql-client#1706); every other uncaught exception
 * still reaches the handler that was installed before (Quarkus's, which logs it).
 */
class StalePoolTimersTest {
    private final Vertx vertx = Vertx.vertx();
    private final List<Throwable> passedOn = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void theStaleTimerIsIgnoredAndCountedAndEveryOtherExceptionIsPassedOn() {
        // Given Quarkus's handler, then ours around it
        vertx.exceptionHandler(passedOn::add);
        StalePoolTimers timers = new StalePoolTimers(vertx);
        timers.install(null);
        Throwable staleTimer = thrownAt("Result is already complete", "io.vertx.sqlclient.impl.pool.SqlConnectionPool",
                "lambda$execute$3");
        Throwable sameMessageElsewhere = thrownAt("Result is already complete", "io.vertx.core.impl.future.PromiseImpl",
                "complete");
        Throwable otherFromThePool = thrownAt("Pool closed", "io.vertx.sqlclient.impl.pool.SqlConnectionPool",
                "lambda$execute$3");

        // When each reaches Vert.x uncaught, the stale timer twice
        for (Throwable failure : List.of(staleTimer, staleTimer, sameMessageElsewhere, otherFromThePool)) {
            vertx.exceptionHandler().handle(failure);
        }

        // Then only the stale timers were kept back
        assertThat(timers.ignored()).isEqualTo(2);
        assertThat(passedOn).containsExactly(sameMessageElsewhere, otherFromThePool);
    }

    private static Throwable thrownAt(String message, String className, String method) {
        IllegalStateException failure = new IllegalStateException(message);
        failure.setStackTrace(new StackTraceElement[] {
            new StackTraceElement("io.vertx.core.Promise", "fail", "Promise.java", 90),
            new StackTraceElement(className, method, "Source.java", 216)});
        return failure;
    }
}
