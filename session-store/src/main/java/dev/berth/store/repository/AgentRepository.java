package dev.berth.store.repository;

import dev.berth.store.entity.AgentEntity;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/** Queries of {@code agents}; callers open the session or transaction. */
@ApplicationScoped
public class AgentRepository implements PanacheRepositoryBase<AgentEntity, AgentEntity.Key> {

    public Uni<AgentEntity> latest(UUID tenantId, String name) {
        return find("tenantId = ?1 and name = ?2 order by version desc", tenantId, name).firstResult();
    }

    public Uni<AgentEntity> version(UUID tenantId, String name, int version) {
        return find("tenantId = ?1 and name = ?2 and version = ?3", tenantId, name, version).firstResult();
    }

    public Uni<List<AgentEntity>> versions(UUID tenantId, String name) {
        return list("tenantId = ?1 and name = ?2 order by version", tenantId, name);
    }

    /**
     * The latest version of each agent named after {@code afterName}, by name, at most {@code limit}.
     * The outer entity has an alias of its own: an unqualified {@code name} inside the subquery
     * would be the subquery's, which made it the tenant's highest version of any agent.
     */
    public Uni<List<AgentEntity>> latestOfEach(UUID tenantId, String afterName, int limit) {
        return find("from AgentEntity a where a.tenantId = ?1 and a.name > ?2"
                + " and a.version = (select max(b.version) from AgentEntity b"
                + " where b.tenantId = a.tenantId and b.name = a.name) order by a.name", tenantId, afterName)
                .range(0, limit - 1).list();
    }
}
