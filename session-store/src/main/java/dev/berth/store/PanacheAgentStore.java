package dev.berth.store;

import dev.berth.runtime.domain.AgentDefinition;
import dev.berth.runtime.domain.AgentSpec;
import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.error.ConflictException;
import dev.berth.runtime.port.AgentStore;
import dev.berth.store.entity.AgentEntity;
import dev.berth.store.internal.AgentJson;
import dev.berth.store.internal.DbErrors;
import dev.berth.store.internal.VertxContexts;
import dev.berth.store.repository.AgentRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/** {@link AgentStore} on Hibernate Reactive. */
@ApplicationScoped
public class PanacheAgentStore implements AgentStore {
    private final AgentRepository repository;
    private final VertxContexts contexts;

    @Inject
    public PanacheAgentStore(AgentRepository repository, VertxContexts contexts) {
        this.repository = repository;
        this.contexts = contexts;
    }

    @Override
    public Uni<AgentDefinition> createVersion(TenantId tenant, String name, AgentSpec spec) {
        return contexts.onContext(() -> Panache.withTransaction(() -> repository.latest(tenant.value(), name)
                        .chain(latest -> {
                            AgentEntity entity = new AgentEntity();
                            entity.tenantId = tenant.value();
                            entity.name = name;
                            entity.version = latest == null ? 1 : latest.version + 1;
                            entity.definition = AgentJson.write(spec);
                            entity.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
                            return repository.persistAndFlush(entity);
                        })))
                .map(this::toDomain)
                .onFailure().transform(failure -> isDuplicate(failure)
                        ? new ConflictException("concurrent-update",
                                "another version of agent '" + name + "' was created at the same time; retry")
                        : DbErrors.translate(failure));
    }

    @Override
    public Uni<Optional<AgentDefinition>> find(TenantId tenant, String name, Integer version) {
        return contexts.onContext(() -> Panache.withSession(() -> version == null
                        ? repository.latest(tenant.value(), name)
                        : repository.version(tenant.value(), name, version)))
                .map(entity -> Optional.ofNullable(entity).map(this::toDomain))
                .onFailure().transform(DbErrors::translate);
    }

    @Override
    public Uni<List<AgentDefinition>> versions(TenantId tenant, String name) {
        return contexts.onContext(() -> Panache.withSession(() -> repository.versions(tenant.value(), name)))
                .map(list -> list.stream().map(this::toDomain).toList())
                .onFailure().transform(DbErrors::translate);
    }

    @Override
    public Uni<List<AgentDefinition>> latestOfEach(TenantId tenant, String afterName, int limit) {
        return contexts.onContext(() -> Panache.withSession(
                        () -> repository.latestOfEach(tenant.value(), afterName == null ? "" : afterName, limit)))
                .map(list -> list.stream().map(this::toDomain).toList())
                .onFailure().transform(DbErrors::translate);
    }

    private AgentDefinition toDomain(AgentEntity entity) {
        return new AgentDefinition(new TenantId(entity.tenantId), entity.name, entity.version,
                AgentJson.read(entity.definition), entity.createdAt);
    }

    private static boolean isDuplicate(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (DbErrors.isUniqueViolation(t) || t instanceof jakarta.persistence.EntityExistsException
                    || t instanceof org.hibernate.exception.ConstraintViolationException) {
                return true;
            }
        }
        return false;
    }
}
