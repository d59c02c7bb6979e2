package dev.berth.store;

/** The SQL of {@link PgMemoryStore}. Every statement is scoped by tenant ($1). */
final class MemorySql {
    private MemorySql() {
    }

    static final String COLUMNS = """
            id, namespace, kind, key, content, actor_id, source_session_id, source_from_seq, source_through_seq,
            created_at, updated_at, expires_at""";

    static final String LIVE = "(expires_at is null or expires_at > now())";

    /** Consolidation: a keyed memory replaces the one with the same namespace, kind and key, keeping its id. */
    static final String UPSERT_KEYED = """
            insert into memories (id, tenant_id, namespace, kind, key, content, actor_id, source_session_id,
                                  source_from_seq, source_through_seq, expires_at, embedding)
            values ($2, $1, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
            on conflict (tenant_id, namespace, kind, key) where key is not null do update
               set content = excluded.content, actor_id = coalesce(excluded.actor_id, memories.actor_id),
                   source_session_id = excluded.source_session_id, source_from_seq = excluded.source_from_seq,
                   source_through_seq = excluded.source_through_seq, expires_at = excluded.expires_at,
                   embedding = excluded.embedding, updated_at = now()
            returning\s""" + COLUMNS;

    static final String INSERT = """
            insert into memories (id, tenant_id, namespace, kind, key, content, actor_id, source_session_id,
                                  source_from_seq, source_through_seq, expires_at, embedding)
            values ($2, $1, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
            returning\s""" + COLUMNS;

    static final String FIND = "select " + COLUMNS + " from memories where tenant_id = $1 and id = $2 and " + LIVE;

    static final String FIND_ALL = "select " + COLUMNS + " from memories where tenant_id = $1 and id = any($2) and "
            + LIVE;

    static final String UPDATE = """
            update memories set content = $3, embedding = $4, expires_at = coalesce($5, expires_at), updated_at = now()
             where tenant_id = $1 and id = $2 and\s""" + LIVE + " returning " + COLUMNS;

    static final String DELETE = "delete from memories where tenant_id = $1 and id = $2";

    /** Newest first, keyset-paged on (updated_at, id). */
    static final String LIST = "select " + COLUMNS + " from memories where tenant_id = $1 and namespace = $2 and "
            + LIVE + " and ($3::timestamptz is null or (updated_at, id) < ($3, $4)) order by updated_at desc, id desc"
            + " limit $5";

    static final String VERSION = "select version from memory_namespaces where tenant_id = $1 and namespace = $2";

    /** The vectors and the counter they are current for, read in one snapshot. */
    static final String VECTORS = "select (select version from memory_namespaces where tenant_id = $1 and namespace = $2)"
            + " as version, embedding, " + COLUMNS + " from memories where tenant_id = $1 and namespace = $2 and " + LIVE;

    static final String BLOCKS = """
            select namespace, label, content, updated_at from memory_blocks
             where tenant_id = $1 and namespace = any($2) order by namespace, label""";

    static final String PUT_BLOCK = """
            insert into memory_blocks (tenant_id, namespace, label, content, actor_id) values ($1, $2, $3, $4, $5)
            on conflict (tenant_id, namespace, label) do update set content = excluded.content, updated_at = now()
            returning namespace, label, content, updated_at""";

    static final String DELETE_BLOCK = "delete from memory_blocks where tenant_id = $1 and namespace = $2 and label = $3";

    /** Everything about an actor ($2): one statement, so one transaction and one snapshot. */
    static final String ERASE_ACTOR = """
            with doomed as (
                select id from sessions where tenant_id = $1 and actor_id = $2),
            namespaces as (
                select 'actors/' || $2::text as namespace
                union all select 'sessions/' || id::text from doomed),
            memories_gone as (
                delete from memories m where m.tenant_id = $1
                   and (m.actor_id = $2 or m.namespace in (select namespace from namespaces)
                        or m.source_session_id in (select id from doomed))
                returning 1),
            blocks_gone as (
                delete from memory_blocks b where b.tenant_id = $1
                   and (b.actor_id = $2 or b.namespace in (select namespace from namespaces))
                returning 1),
            jobs_gone as (
                delete from memory_jobs j where j.tenant_id = $1 and j.actor_id = $2 returning 1),
            sessions_gone as (
                delete from sessions s where s.id in (select id from doomed) returning 1)
            select (select count(*) from sessions_gone) as sessions, (select count(*) from memories_gone) as memories,
                   (select count(*) from blocks_gone) as blocks, (select count(*) from jobs_gone) as jobs""";

    static final String DELETE_EXPIRED = """
            with due as (
                select id from memories where expires_at <= now() order by expires_at limit $1 for update skip locked)
            delete from memories m using due where m.id = due.id""";
}
