package dev.berth.model.internal.resilience;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import java.time.Duration;

/** Waits without blocking. Injected so tests can skip real backoffs. */
@FunctionalInterface
public interface Delayer {
    Uni<Void> delay(Duration duration);

    /** Waits on a Vert.x timer; the continuation runs on the event loop. */
    static Delayer vertx(Vertx vertx) {
        return d -> {
            if (d.isZero() || d.isNegative()) {
                return Uni.createFrom().voidItem();
            }
            return Uni.createFrom().emitter(em -> vertx.setTimer(Math.max(1, d.toMillis()), id -> em.complete(null)));
        };
    }
}
