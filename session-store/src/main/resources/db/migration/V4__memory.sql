-- Memory (issue 6): rolling session summaries, long-term memory records, pinned memory blocks
-- and durable extraction jobs. pgvector is not assumed: embeddings are stored as real[] and
-- ranked in the process (see docs/adr/0008-memory.md), with a per-namespace version counter
-- that tells a process when its cached vectors are stale.

-- A session's rolling summary is the newest 'context.compacted' event (payload: summary and
-- throughSeq, how far it reaches); compaction is an ordinary step commit, fenced by the lease.
create index events_compactions on events (session_id, seq desc) where type = 'context.compacted';

create table memories (
    id                 uuid primary key,
    tenant_id          uuid not null references tenants (id) on delete cascade,
    -- actors/{id}, agents/{name} or sessions/{id}
    namespace          text not null,
    kind               text not null check (kind in ('fact', 'preference', 'summary', 'note')),
    -- Consolidation: a memory with the same (namespace, kind, key) replaces the older one.
    key                text,
    content            text not null,
    -- The end user the memory is about, when known: an actor's erasure removes it wherever it lives.
    actor_id           text,
    source_session_id  uuid,
    source_from_seq    bigint,
    source_through_seq bigint,
    embedding          real[] not null,
    created_at         timestamptz not null default now(),
    updated_at         timestamptz not null default now(),
    expires_at         timestamptz
);
create unique index memories_by_key on memories (tenant_id, namespace, kind, key) where key is not null;
create index memories_by_namespace on memories (tenant_id, namespace, updated_at desc, id);
create index memories_by_actor on memories (tenant_id, actor_id) where actor_id is not null;
create index memories_due on memories (expires_at) where expires_at is not null;

-- One counter per namespace, bumped by every change of its memories in the same transaction:
-- a process that cached a namespace's vectors reads this one row to know whether they are current.
create table memory_namespaces (
    tenant_id  uuid not null references tenants (id) on delete cascade,
    namespace  text not null,
    version    bigint not null default 0,
    primary key (tenant_id, namespace)
);

create function berth_memory_namespace_bump() returns trigger language plpgsql as $$
begin
    if tg_op in ('UPDATE', 'DELETE') then
        insert into memory_namespaces as n (tenant_id, namespace, version) values (old.tenant_id, old.namespace, 1)
        on conflict (tenant_id, namespace) do update set version = n.version + 1;
    end if;
    if tg_op in ('INSERT', 'UPDATE') and (tg_op = 'INSERT' or new.namespace <> old.namespace) then
        insert into memory_namespaces as n (tenant_id, namespace, version) values (new.tenant_id, new.namespace, 1)
        on conflict (tenant_id, namespace) do update set version = n.version + 1;
    end if;
    return null;
end
$$;
create trigger memories_bump_namespace after insert or update or delete on memories
    for each row execute function berth_memory_namespace_bump();

-- Pinned memory blocks: small labelled texts always placed in the context of the namespaces' agents.
create table memory_blocks (
    tenant_id   uuid not null references tenants (id) on delete cascade,
    namespace   text not null,
    label       text not null,
    content     text not null,
    actor_id    text,
    updated_at  timestamptz not null default now(),
    primary key (tenant_id, namespace, label)
);
create index memory_blocks_by_actor on memory_blocks (tenant_id, actor_id) where actor_id is not null;

-- Extraction after runs, as durable jobs claimed like runs (FOR UPDATE SKIP LOCKED, lease expiry).
create table memory_jobs (
    id                uuid primary key,
    tenant_id         uuid not null,
    session_id        uuid not null references sessions (id) on delete cascade,
    run_id            uuid not null,
    actor_id          text not null,
    agent_name        text not null,
    agent_version     integer not null,
    from_seq          bigint not null,
    through_seq       bigint not null,
    status            text not null default 'queued' check (status in ('queued', 'running', 'done', 'failed')),
    attempts          integer not null default 0,
    not_before        timestamptz not null default now(),
    lease_owner       text,
    lease_expires_at  timestamptz,
    last_error        text,
    created_at        timestamptz not null default now(),
    updated_at        timestamptz not null default now(),
    unique (run_id)
);
create index memory_jobs_live on memory_jobs (not_before) where status in ('queued', 'running');
create index memory_jobs_by_actor on memory_jobs (tenant_id, actor_id);

-- A run that completes queues an extraction job, in the same transaction, when its agent
-- version asks for extraction: no completed run is ever missed, whatever the process does next.
create function berth_queue_memory_job() returns trigger language plpgsql as $$
begin
    if new.status = 'completed' and old.status <> 'completed' then
        insert into memory_jobs (id, tenant_id, session_id, run_id, actor_id, agent_name, agent_version, from_seq,
                                 through_seq)
        select gen_random_uuid(), new.tenant_id, new.session_id, new.id, s.actor_id, new.agent_name,
               new.agent_version, new.input_seq, s.last_seq
          from sessions s
          join agents a on a.tenant_id = new.tenant_id and a.name = new.agent_name and a.version = new.agent_version
         where s.id = new.session_id
           and jsonb_array_length(coalesce(a.definition -> 'memory' -> 'extraction', '[]'::jsonb)) > 0
        on conflict (run_id) do nothing;
        if found then
            perform pg_notify('berth_memory_jobs', '');
        end if;
    end if;
    return null;
end
$$;
create trigger runs_queue_memory_job after update of status on runs
    for each row execute function berth_queue_memory_job();
