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

    public Uni<List<AgentEntity>> latestOfEach(UUID tenantId) {
        return list("tenantId = ?1 and version = (select max(b.version) from AgentEntity b"
                + " where b.tenantId = ?1 and b.name = name) order by name", tenantId);
    }
}
