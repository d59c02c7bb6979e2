package dev.berth.store.internal;

import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.function.Supplier;

/**
 * Hibernate Reactive must run on a safe, duplicated Vert.x context. REST calls are on one
 * already; the run engine's timers and tool threads are not, so their calls are moved onto a
 * fresh duplicated context here.
 */
@ApplicationScoped
public class VertxContexts {
    private final Vertx vertx;

    @Inject
    public VertxContexts(Vertx vertx) {
        this.vertx = vertx;
    }

    public <T> Uni<T> onContext(Supplier<Uni<? extends T>> work) {
        Context current = Vertx.currentContext();
        if (current != null && VertxContext.isDuplicatedContext(current)) {
            return Uni.createFrom().deferred(work);
        }
        Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        VertxContextSafetyToggle.setContextSafe(context, true);
        return Uni.createFrom().deferred(work).runSubscriptionOn(task -> context.runOnContext(ignored -> task.run()));
    }
}
