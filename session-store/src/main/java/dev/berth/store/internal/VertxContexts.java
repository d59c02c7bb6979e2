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
 * Hibernate Reactive must run on a safe, duplicated Vert.x context, and Panache keeps the open
 * session in that context. Every store call therefore gets a fresh duplicated context of its
 * own: reusing the caller's would let concurrent callers that happen to share one (runs of the
 * engine resumed on the same context, say) share a session, so that one closes it under the
 * other and connections leak from the pool.
 */
@ApplicationScoped
public class VertxContexts {
    private final Vertx vertx;

    @Inject
    public VertxContexts(Vertx vertx) {
        this.vertx = vertx;
    }

    public <T> Uni<T> onContext(Supplier<Uni<? extends T>> work) {
        return Uni.createFrom().deferred(() -> {
            Context current = Vertx.currentContext();
            Context context = VertxContext.createNewDuplicatedContext(current != null ? current : vertx.getOrCreateContext());
            VertxContextSafetyToggle.setContextSafe(context, true);
            return Uni.createFrom().<T>deferred(work).runSubscriptionOn(task -> context.runOnContext(ignored -> task.run()));
        });
    }
}
