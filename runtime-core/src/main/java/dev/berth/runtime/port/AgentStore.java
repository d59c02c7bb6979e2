package dev.berth.runtime.port;

import dev.berth.runtime.domain.AgentDefinition;
import dev.berth.runtime.domain.AgentSpec;
import dev.berth.runtime.domain.RequestKey;
import dev.berth.runtime.domain.TenantId;
import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.Optional;

/**
 * Immutable, versioned agent definitions.
 *
 * <p>Threading: all methods are non-blocking and may be called from an event loop. Errors:
 * the {@code Uni} fails with {@link dev.berth.runtime.error.UnavailableException} when the
 * database cannot be reached.
 */
public interface AgentStore {

    /** Stores the spec as the next version of the agent (1 for a new name). */
    default Uni<AgentDefinition> createVersion(TenantId tenant, String name, AgentSpec spec) {
        return createVersion(tenant, name, spec, Optional.empty());
    }

    /**
     * As {@link #createVersion(TenantId, String, AgentSpec)}, claiming the client's idempotency key in
     * the same transaction (see {@link SessionStore#create(dev.berth.runtime.domain.NewSession, Optional)}).
     */
    Uni<AgentDefinition> createVersion(TenantId tenant, String name, AgentSpec spec, Optional<RequestKey> key);

    /** The given version, or the latest when {@code version} is null. */
    Uni<Optional<AgentDefinition>> find(TenantId tenant, String name, Integer version);

    /** All versions of the agent, oldest first; empty for an unknown agent. */
    Uni<List<AgentDefinition>> versions(TenantId tenant, String name);

    /**
     * The latest version of each agent of the tenant, by name: at most {@code limit} of them,
     * named after {@code afterName} (null for the first).
     */
    Uni<List<AgentDefinition>> latestOfEach(TenantId tenant, String afterName, int limit);
}
