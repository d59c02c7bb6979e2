package dev.berth.store;

import dev.berth.runtime.domain.InputPolicy;
import dev.berth.runtime.domain.NewSession;
import dev.berth.runtime.domain.Page;
import dev.berth.runtime.domain.Quota;
import dev.berth.runtime.domain.QuotaDefaults;
import dev.berth.runtime.domain.RequestKey;
import dev.berth.runtime.domain.Session;
import dev.berth.runtime.domain.SessionKill;
import dev.berth.runtime.domain.SessionStatus;
import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.error.ValidationException;
import dev.berth.runtime.internal.DocumentJson;
import dev.berth.runtime.port.SessionStore;
import dev.berth.store.entity.SessionEntity;
import dev.berth.store.internal.CountQuotaCheck;
import dev.berth.store.internal.DbErrors;
import dev.berth.store.internal.KeyClaims;
import dev.berth.store.internal.VertxContexts;
import dev.berth.store.repository.SessionRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** {@link SessionStore} on Hibernate Reactive. Pages use keyset cursors, so deep pages stay cheap. */
@ApplicationScoped
public class PanacheSessionStore implements SessionStore {
    private final SessionRepository repository;
    private final VertxContexts contexts;
    private final QuotaDefaults quotas;

    @Inject
    public PanacheSessionStore(SessionRepository repository, VertxContexts contexts, QuotaDefaults quotas) {
        this.repository = repository;
        this.contexts = contexts;
        this.quotas = quotas;
    }

    @Override
    public Uni<Session> create(NewSession session, Optional<RequestKey> key) {
        SessionEntity entity = new SessionEntity();
        entity.id = session.id();
        entity.tenantId = session.tenant().value();
        entity.agentName = session.agent().name();
        entity.agentVersion = session.agent().version();
        entity.actorId = session.actorId();
        entity.openedBy = session.openedBy();
        entity.status = "active";
        entity.inputPolicy = session.inputPolicy().wire();
        entity.state = "{}";
        entity.team = DocumentJson.write(session.team());
        entity.metadata = DocumentJson.write(session.metadata());
        entity.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        entity.updatedAt = entity.createdAt;
        entity.expiresAt = session.expiresAt() == null ? null : session.expiresAt().truncatedTo(ChronoUnit.MICROS);
        // The key first: a request with the same key waits there for this transaction (ADR 0024). The
        // quota after the insert (flushed, so its trigger has counted it), in the same transaction (ADR 0031).
        return contexts.onContext(() -> Panache.withTransaction(() -> Panache.getSession()
                        .chain(db -> KeyClaims.claim(db, session.tenant(), key, "session", session.id().toString())
                                .chain(() -> repository.persistAndFlush(entity))
                                .call(() -> CountQuotaCheck.check(db, session.tenant(), quotas, Quota.LIVE_SESSIONS, 1)))))
                .map(SessionMapper::toDomain)
                .onFailure().transform(failure -> KeyClaims.translate(failure, key));
    }

    @Override
    public Uni<Optional<Session>> find(TenantId tenant, UUID id) {
        return contexts.onContext(() -> Panache.withSession(() -> repository.findScoped(tenant.value(), id)))
                .map(entity -> Optional.ofNullable(entity).map(SessionMapper::toDomain))
                .onFailure().transform(DbErrors::translate);
    }

    @Override
    public Uni<Page<Session>> list(TenantId tenant, String actorId, String cursor, int limit) {
        Cursor after = cursor == null ? null : Cursor.decode(cursor);
        return contexts.onContext(() -> Panache.withSession(() -> repository.page(tenant.value(), actorId,
                        after == null ? null : after.createdAt(), after == null ? null : after.id(), limit + 1)))
                .map(entities -> {
                    List<Session> items = entities.stream().limit(limit).map(SessionMapper::toDomain).toList();
                    String next = entities.size() > limit
                            ? new Cursor(items.getLast().createdAt(), items.getLast().id()).encode()
                            : null;
                    return new Page<>(items, next);
                })
                .onFailure().transform(DbErrors::translate);
    }

    @Override
    public Uni<Boolean> updateMetadata(TenantId tenant, UUID id, java.util.Map<String, Object> metadata) {
        String json = DocumentJson.write(metadata);
        return contexts.onContext(() -> Panache.withTransaction(() -> repository
                        .find("id = ?1 and tenantId = ?2", id, tenant.value()).firstResult()
                        .map(entity -> {
                            if (entity == null) {
                                return false;
                            }
                            entity.metadata = json;
                            return true;
                        })))
                .onFailure().transform(DbErrors::translate);
    }

    @Override
    public Uni<Boolean> delete(TenantId tenant, UUID id) {
        // Events and runs go with the session (ON DELETE CASCADE): erasure leaves nothing behind.
        return contexts.onContext(() -> Panache.withTransaction(() -> repository.deleteScoped(tenant.value(), id)))
                .map(count -> count > 0)
                .onFailure().transform(DbErrors::translate);
    }

    /** An opaque page position: the last item's creation time and id. */
    record Cursor(Instant createdAt, UUID id) {
        String encode() {
            String raw = createdAt.toEpochMilli() * 1000 + createdAt.getNano() / 1000 % 1000 + ":" + id;
            return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
        }

        static Cursor decode(String text) {
            try {
                String raw = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
                int colon = raw.indexOf(':');
                long micros = Long.parseLong(raw.substring(0, colon));
                return new Cursor(Instant.EPOCH.plus(micros, ChronoUnit.MICROS), UUID.fromString(raw.substring(colon + 1)));
            } catch (RuntimeException e) {
                throw ValidationException.field("cursor", "is not a cursor returned by this API");
            }
        }
    }

    /** Entity to domain. */
    static final class SessionMapper {
        private SessionMapper() {
        }

        static Session toDomain(SessionEntity e) {
            return new Session(e.id, new TenantId(e.tenantId), e.agentName, e.agentVersion, e.actorId,
                    SessionStatus.fromWire(e.status),
                    InputPolicy.fromWire(e.inputPolicy), DocumentJson.readMap(e.state), DocumentJson.readMap(e.metadata), e.lastSeq,
                    e.createdAt, e.updatedAt, e.expiresAt, e.openedBy,
                    e.killedAt == null ? null : new SessionKill(e.killedBy, e.killedAt));
        }
    }
}
