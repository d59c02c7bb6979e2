package dev.berth.store;

import dev.berth.runtime.domain.Page;
import dev.berth.runtime.domain.Quota;
import dev.berth.runtime.domain.QuotaDefaults;
import dev.berth.runtime.domain.RequestKey;
import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.memory.Erasure;
import dev.berth.runtime.memory.MemoryBlock;
import dev.berth.runtime.memory.MemoryRecord;
import dev.berth.runtime.memory.MemoryStore;
import dev.berth.runtime.memory.NamespaceVectors;
import dev.berth.runtime.memory.NewMemory;
import dev.berth.store.internal.CountQuotaCheck;
import dev.berth.store.internal.DbErrors;
import dev.berth.store.internal.KeyClaims;
import dev.berth.store.internal.Rows;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** {@link MemoryStore} on the reactive pg client; embeddings are {@code real[]} (no pgvector needed). */
@ApplicationScoped
public class PgMemoryStore implements MemoryStore {
    private final Pool pool;
    private final QuotaDefaults quotas;

    @Inject
    public PgMemoryStore(Pool pool, QuotaDefaults quotas) {
        this.pool = pool;
        this.quotas = quotas;
    }

    @Override
    public Uni<MemoryRecord> upsert(TenantId tenant, NewMemory m, Optional<RequestKey> key) {
        Tuple params = Tuple.tuple().addValue(tenant.value()).addValue(m.id()).addValue(m.namespace())
                .addValue(m.kind()).addValue(m.key()).addValue(m.content()).addValue(m.actorId())
                .addValue(m.sourceSessionId()).addValue(m.sourceFromSeq()).addValue(m.sourceThroughSeq())
                .addValue(time(m.expiresAt())).addArrayOfFloat(boxed(m.embedding()));
        String sql = m.key() == null ? MemorySql.INSERT : MemorySql.UPSERT_KEYED;
        long bytes = m.content().getBytes(StandardCharsets.UTF_8).length;
        // A keyed upsert may replace a record (and keep its id): the key names the record it wrote.
        // The quotas are checked after the write, in its transaction (ADR 0031).
        return pool.withTransaction(conn -> KeyClaims.claim(conn, tenant, key, "memory", null)
                        .chain(() -> conn.preparedQuery(sql).execute(params))
                        .map(rows -> record(rows.iterator().next()))
                        .call(() -> CountQuotaCheck.check(conn, tenant, quotas, Quota.MEMORIES, 1))
                        .call(() -> CountQuotaCheck.check(conn, tenant, quotas, Quota.STORED_BYTES, bytes))
                        .call(written -> KeyClaims.bind(conn, tenant, key, written.id().toString())))
                .onFailure().transform(failure -> KeyClaims.translate(failure, key));
    }

    @Override
    public Uni<Optional<MemoryRecord>> find(TenantId tenant, UUID id) {
        return pool.preparedQuery(MemorySql.FIND).execute(Tuple.of(tenant.value(), id))
                .map(rows -> records(rows).stream().findFirst())
                .onFailure().transform(DbErrors::translate);
    }

    @Override
    public Uni<List<MemoryRecord>> findAll(TenantId tenant, Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return pool.preparedQuery(MemorySql.FIND_ALL)
                .execute(Tuple.tuple().addValue(tenant.value()).addArrayOfUUID(ids.toArray(UUID[]::new)))
                .map(PgMemoryStore::records)
                .onFailure().transform(DbErrors::translate);
    }

    @Override
    public Uni<Optional<MemoryRecord>> update(TenantId tenant, UUID id, String content, float[] embedding,
            Instant expiresAt) {
        Tuple params = Tuple.tuple().addValue(tenant.value()).addValue(id).addValue(content)
                .addArrayOfFloat(boxed(embedding)).addValue(time(expiresAt));
        // New content may grow the tenant's stored bytes: checked after the update, in its transaction.
        return pool.withTransaction(conn -> conn.preparedQuery(MemorySql.UPDATE).execute(params)
                        .map(rows -> records(rows).stream().findFirst())
                        .call(() -> CountQuotaCheck.check(conn, tenant, quotas, Quota.STORED_BYTES, 0)))
                .onFailure().transform(DbErrors::translate);
    }

    @Override
    public Uni<Boolean> delete(TenantId tenant, UUID id) {
        return pool.preparedQuery(MemorySql.DELETE).execute(Tuple.of(tenant.value(), id))
                .map(rows -> rows.rowCount() > 0)
                .onFailure().transform(DbErrors::translate);
    }

    @Override
    public Uni<Page<MemoryRecord>> list(TenantId tenant, String namespace, String cursor, int limit) {
        PanacheSessionStore.Cursor after = cursor == null ? null : PanacheSessionStore.Cursor.decode(cursor);
        Tuple params = Tuple.tuple().addValue(tenant.value()).addValue(namespace)
                .addValue(after == null ? null : time(after.createdAt())).addValue(after == null ? null : after.id())
                .addValue(limit + 1);
        return pool.preparedQuery(MemorySql.LIST).execute(params)
                .map(rows -> {
                    List<MemoryRecord> items = records(rows);
                    boolean more = items.size() > limit;
                    List<MemoryRecord> page = more ? items.subList(0, limit) : items;
                    String next = more ? new PanacheSessionStore.Cursor(page.getLast().updatedAt(), page.getLast().id())
                            .encode() : null;
                    return new Page<>(List.copyOf(page), next);
                })
                .onFailure().transform(DbErrors::translate);
    }

    @Override
    public Uni<Long> version(TenantId tenant, String namespace) {
        return pool.preparedQuery(MemorySql.VERSION).execute(Tuple.of(tenant.value(), namespace))
                .map(rows -> rows.size() == 0 ? 0L : rows.iterator().next().getLong("version"))
                .onFailure().transform(DbErrors::translate);
    }

    @Override
    public Uni<NamespaceVectors> vectors(TenantId tenant, String namespace) {
        // One statement: the counter and the rows come from the same snapshot.
        return pool.preparedQuery(MemorySql.VECTORS).execute(Tuple.of(tenant.value(), namespace))
                .chain(rows -> {
                    if (rows.size() == 0) {
                        return version(tenant, namespace).map(v -> new NamespaceVectors(v, List.of(), List.of()));
                    }
                    List<MemoryRecord> records = new ArrayList<>(rows.size());
                    List<float[]> vectors = new ArrayList<>(rows.size());
                    long version = 0;
                    for (Row row : rows) {
                        Long v = row.getLong("version");
                        version = v == null ? 0 : v;
                        records.add(record(row));
                        vectors.add(unboxed(row.getArrayOfFloats("embedding")));
                    }
                    return Uni.createFrom().item(new NamespaceVectors(version, records, vectors));
                })
                .onFailure().transform(DbErrors::translate);
    }

    @Override
    public Uni<List<MemoryBlock>> blocks(TenantId tenant, List<String> namespaces) {
        if (namespaces.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return pool.preparedQuery(MemorySql.BLOCKS)
                .execute(Tuple.tuple().addValue(tenant.value()).addArrayOfString(namespaces.toArray(String[]::new)))
                .map(rows -> {
                    List<MemoryBlock> blocks = new ArrayList<>();
                    rows.forEach(row -> blocks.add(block(row)));
                    return blocks;
                })
                .onFailure().transform(DbErrors::translate);
    }

    @Override
    public Uni<MemoryBlock> putBlock(TenantId tenant, MemoryBlock block, String actorId, Optional<RequestKey> key) {
        Tuple params = Tuple.of(tenant.value(), block.namespace(), block.label(), block.content(), actorId);
        if (key.isEmpty()) {
            return pool.preparedQuery(MemorySql.PUT_BLOCK).execute(params)
                    .map(rows -> block(rows.iterator().next()))
                    .onFailure().transform(DbErrors::translate);
        }
        return pool.withTransaction(conn -> KeyClaims.claim(conn, tenant, key, "memory-block",
                                block.namespace() + "#" + block.label())
                        .chain(() -> conn.preparedQuery(MemorySql.PUT_BLOCK).execute(params)))
                .map(rows -> block(rows.iterator().next()))
                .onFailure().transform(failure -> KeyClaims.translate(failure, key));
    }

    @Override
    public Uni<Boolean> deleteBlock(TenantId tenant, String namespace, String label) {
        return pool.preparedQuery(MemorySql.DELETE_BLOCK).execute(Tuple.of(tenant.value(), namespace, label))
                .map(rows -> rows.rowCount() > 0)
                .onFailure().transform(DbErrors::translate);
    }

    @Override
    public Uni<Erasure> eraseActor(TenantId tenant, String actorId) {
        return pool.withTransaction(conn -> conn.preparedQuery(MemorySql.ERASE_ACTOR)
                        .execute(Tuple.of(tenant.value(), actorId)))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return new Erasure(row.getLong("sessions"), row.getLong("memories"), row.getLong("blocks"),
                            row.getLong("jobs"));
                })
                .onFailure().transform(DbErrors::translate);
    }

    @Override
    public Uni<Integer> deleteExpired(int limit) {
        return pool.preparedQuery(MemorySql.DELETE_EXPIRED).execute(Tuple.of(limit))
                .map(RowSet::rowCount)
                .onFailure().transform(DbErrors::translate);
    }

    private static List<MemoryRecord> records(RowSet<Row> rows) {
        List<MemoryRecord> out = new ArrayList<>();
        rows.forEach(row -> out.add(record(row)));
        return out;
    }

    private static MemoryRecord record(Row row) {
        return new MemoryRecord(row.getUUID("id"), row.getString("namespace"), row.getString("kind"),
                row.getString("key"), row.getString("content"), row.getString("actor_id"),
                row.getUUID("source_session_id"), row.getLong("source_from_seq"), row.getLong("source_through_seq"),
                Rows.instant(row, "created_at"), Rows.instant(row, "updated_at"), Rows.instant(row, "expires_at"));
    }

    private static MemoryBlock block(Row row) {
        return new MemoryBlock(row.getString("namespace"), row.getString("label"), row.getString("content"),
                Rows.instant(row, "updated_at"));
    }

    private static OffsetDateTime time(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static Float[] boxed(float[] vector) {
        Float[] out = new Float[vector.length];
        for (int i = 0; i < vector.length; i++) {
            out[i] = vector[i];
        }
        return out;
    }

    private static float[] unboxed(Float[] vector) {
        float[] out = new float[vector.length];
        for (int i = 0; i < vector.length; i++) {
            out[i] = vector[i];
        }
        return out;
    }
}
