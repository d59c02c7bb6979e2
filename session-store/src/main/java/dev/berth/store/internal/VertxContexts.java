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
 * Runs the store's Hibernate Reactive work. Two rules, both about the pool's connections:
 * <ul>
 * <li>Hibernate Reactive must run on a safe, duplicated Vert.x context, and Panache keeps the
 * open session in that context. Every store call therefore gets a fresh duplicated context of
 * its own: reusing the caller's would let concurrent callers that happen to share one (runs of
 * the engine resumed on the same context, say) share a session, so that one closes it under the
 * other and connections leak from the pool.</li>
 * <li>The work is immune to cancellation. A Hibernate Reactive session cancelled while its
 * statement is in flight never gives its connection back, and callers cancel all the time: a
 * client hangs up, a merged stream fails and cancels its siblings, a timeout fires. So the work
 * always runs to its end (statement done, session closed, connection released); a caller that
 * has gone simply does not get the result. A store call is one short statement or transaction,
 * so finishing it costs little.</li>
 * </ul>
 */
@ApplicationScoped
public class VertxContexts {
    private final Vertx vertx;

    @Inject
    public VertxContexts(Vertx vertx) {
        this.vertx = vertx;
    }

    public <T> Uni<T> onContext(Supplier<Uni<? extends T>> work) {
        return Uni.createFrom().emitter(emitter -> {
            Context current = Vertx.currentContext();
            Context context = VertxContext.createNewDuplicatedContext(current != null ? current : vertx.getOrCreateContext());
            VertxContextSafetyToggle.setContextSafe(context, true);
            // Subscribed on its own, not through the caller's subscription: cancelling the caller
            // only drops the result (the emitter ignores it), it never cuts the work short.
            context.runOnContext(ignored -> Uni.createFrom().<T>deferred(work).subscribe()
                    .with(emitter::complete, emitter::fail));
        });
    }
}
