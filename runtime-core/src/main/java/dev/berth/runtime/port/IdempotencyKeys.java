package dev.berth.runtime.port;

import dev.berth.runtime.domain.KeyedRequest;
import dev.berth.runtime.domain.TenantId;
import io.smallrye.mutiny.Uni;
import java.util.Optional;

/**
 * The idempotency keys the tenants' requests claimed (ADR 0024). A key is written by the store
 * call that makes the request's effect, in its transaction (each creating port method takes a
 * {@link dev.berth.runtime.domain.RequestKey}); this port reads them back and sweeps them.
 *
 * <p>Threading and errors as {@link AgentStore}.
 */
public interface IdempotencyKeys {

    /** The request that claimed the key, unless it has expired (an expired key is free again). */
    Uni<Optional<KeyedRequest>> find(TenantId tenant, String key);

    /** Deletes up to {@code limit} expired keys; keys another sweeper holds are skipped. */
    Uni<Integer> deleteExpired(int limit);

    /** Keys nobody reads: for engines tested without idempotency. */
    IdempotencyKeys NONE = new IdempotencyKeys() {
        @Override
        public Uni<Optional<KeyedRequest>> find(TenantId tenant, String key) {
            return Uni.createFrom().item(Optional.empty());
        }

        @Override
        public Uni<Integer> deleteExpired(int limit) {
            return Uni.createFrom().item(0);
        }
    };
}
