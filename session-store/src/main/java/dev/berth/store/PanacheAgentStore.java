package dev.berth.store;

import dev.berth.runtime.cpu.CpuWork;
import dev.berth.runtime.domain.AgentDefinition;
import dev.berth.runtime.domain.AgentSpec;
import dev.berth.runtime.domain.Quota;
import dev.berth.runtime.domain.QuotaDefaults;
import dev.berth.runtime.domain.RequestKey;
import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.error.ConflictException;
import dev.berth.runtime.port.AgentStore;
import dev.berth.store.entity.AgentEntity;
import dev.berth.store.internal.AgentJson;
import dev.berth.store.internal.CountQuotaCheck;
import dev.berth.store.internal.DbErrors;
import dev.berth.store.internal.KeyClaims;
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
import org.hibernate.reactive.mutiny.Mutiny;

/** {@link AgentStore} on Hibernate Reactive. */
@ApplicationScoped
public class PanacheAgentStore implements AgentStore {
    private final AgentRepository repository;
    private final VertxContexts contexts;
    private final CpuWork cpu;
    private final QuotaDefaults quotas;

    @Inject
    public PanacheAgentStore(AgentRepository repository, VertxContexts contexts, CpuWork cpu, QuotaDefaults quotas) {
        this.repository = repository;
        this.contexts = contexts;
        this.cpu = cpu;
        this.quotas = quotas;
    }

    @Override
    public Uni<AgentDefinition> createVersion(TenantId tenant, String name, AgentSpec spec, Optional<RequestKey> key) {
        return cpu.run(tenant, writeSize(spec), () -> AgentJson.write(spec))
                // The key first, so a request with the same key waits for this one (ADR 0024); the
                // version it names is known once written.
                .chain(definition -> contexts.onContext(() -> Panache.withTransaction(() -> Panache.getSession()
                        .chain(db -> KeyClaims.claim(db, tenant, key, "agent-version", null))
                        .chain(() -> repository.latest(tenant.value(), name)).chain(latest -> {
                            AgentEntity entity = new AgentEntity();
                            entity.tenantId = tenant.value();
                            entity.name = name;
                            entity.version = latest == null ? 1 : latest.version + 1;
                            entity.definition = definition;
                            entity.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
                            return repository.persistAndFlush(entity);
                        }).call(entity -> Panache.getSession().chain(db -> checkQuotas(db, tenant, entity.version)
                                .chain(() -> KeyClaims.bind(db, tenant, key, Integer.toString(entity.version))))))))
                .chain(entity -> toDomain(tenant, List.of(entity)).map(List::getFirst))
                .onFailure().transform(failure -> isDuplicate(failure)
                        ? new ConflictException("concurrent-update",
                                "another version of agent '" + name + "' was created at the same time; retry")
                        : KeyClaims.translate(failure, key));
    }

    /** After the flushed insert, in its transaction (ADR 0031): a version 1 is also a new agent name. */
    private Uni<Void> checkQuotas(Mutiny.Session db, TenantId tenant, int version) {
        Uni<Void> versions = CountQuotaCheck.check(db, tenant, quotas, Quota.AGENT_VERSIONS, 1);
        return version == 1 ? versions.chain(() -> CountQuotaCheck.check(db, tenant, quotas, Quota.AGENTS, 1)) : versions;
    }

    @Override
    public Uni<Optional<AgentDefinition>> find(TenantId tenant, String name, Integer version) {
        return contexts.onContext(() -> Panache.withSession(() -> version == null
                        ? repository.latest(tenant.value(), name)
                        : repository.version(tenant.value(), name, version)))
                .onFailure().transform(DbErrors::translate)
                .chain(entity -> entity == null ? Uni.createFrom().item(Optional.<AgentDefinition>empty())
                        : toDomain(tenant, List.of(entity)).map(found -> Optional.of(found.getFirst())));
    }

    @Override
    public Uni<List<AgentDefinition>> versions(TenantId tenant, String name) {
        return contexts.onContext(() -> Panache.withSession(() -> repository.versions(tenant.value(), name)))
                .onFailure().transform(DbErrors::translate)
                .chain(list -> toDomain(tenant, list));
    }

    @Override
    public Uni<List<AgentDefinition>> latestOfEach(TenantId tenant, String afterName, int limit) {
        return contexts.onContext(() -> Panache.withSession(
                        () -> repository.latestOfEach(tenant.value(), afterName == null ? "" : afterName, limit)))
                .onFailure().transform(DbErrors::translate)
                .chain(list -> toDomain(tenant, list));
    }

    /**
     * About the characters of the definition's JSON, without writing it: client-tool schemas are
     * not measured (that would mean writing them), so a definition with any is taken as large.
     */
    private static long writeSize(AgentSpec spec) {
        return spec.clientTools().isEmpty() ? spec.instructions().length() : Long.MAX_VALUE;
    }

    /** Reads the definitions' JSON; on the CPU pool when there is much of it (client-tool schemas). */
    private Uni<List<AgentDefinition>> toDomain(TenantId tenant, List<AgentEntity> entities) {
        long chars = entities.stream().mapToLong(entity -> entity.definition.length()).sum();
        return cpu.run(tenant, chars, () -> entities.stream()
                .map(entity -> new AgentDefinition(new TenantId(entity.tenantId), entity.name, entity.version,
                        AgentJson.read(entity.definition), entity.createdAt))
                .toList());
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
