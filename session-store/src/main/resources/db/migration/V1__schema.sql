-- Berth schema v1. Every row carries its tenant; every query is scoped by it.
-- Events are the source of truth and are never rewritten. Keys are chosen so that
-- events can later be partitioned by session (hash on session_id).

create table tenants (
    id          uuid primary key,
    name        text not null,
    -- An operator tenant's admin keys may create other tenants.
    operator    boolean not null default false,
    created_at  timestamptz not null default now()
);

create table api_keys (
    id          uuid primary key,
    tenant_id   uuid not null references tenants (id) on delete cascade,
    name        text not null,
    -- SHA-256 of the whole key; the key itself is shown once and never stored.
    key_hash    bytea not null unique,
    -- The first characters, to recognise a key in listings without revealing it.
    key_prefix  text not null,
    admin       boolean not null default false,
    created_at  timestamptz not null default now(),
    revoked_at  timestamptz
);
create index api_keys_tenant on api_keys (tenant_id);

-- Agent definitions are immutable: PUT inserts a new version.
create table agents (
    tenant_id   uuid not null references tenants (id) on delete cascade,
    name        text not null,
    version     integer not null check (version > 0),
    definition  jsonb not null,
    created_at  timestamptz not null default now(),
    primary key (tenant_id, name, version)
);

create table sessions (
    id              uuid primary key,
    tenant_id       uuid not null references tenants (id) on delete cascade,
    agent_name      text not null,
    agent_version   integer not null,
    actor_id        text not null,
    status          text not null check (status in ('active', 'deleted')),
    input_policy    text not null check (input_policy in ('reject', 'enqueue', 'interrupt')),
    state           jsonb not null default '{}'::jsonb,
    metadata        jsonb not null default '{}'::jsonb,
    summary         text,
    -- The highest event sequence; incremented in the transaction that appends events,
    -- which makes the per-session sequence gapless and serialises appends per session.
    last_seq        bigint not null default 0,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now(),
    expires_at      timestamptz,
    foreign key (tenant_id, agent_name, agent_version) references agents (tenant_id, name, version)
);
create index sessions_by_actor on sessions (tenant_id, actor_id, created_at desc, id desc);
create index sessions_by_tenant on sessions (tenant_id, created_at desc, id desc);

create table runs (
    id                uuid primary key,
    tenant_id         uuid not null,
    session_id        uuid not null references sessions (id) on delete cascade,
    -- The sequence of the input event that started the run: orders runs within a session.
    input_seq         bigint not null,
    status            text not null check (status in
                          ('queued', 'running', 'requires_action', 'completed', 'failed', 'cancelled', 'expired')),
    step              integer not null default 0,
    agent_name        text not null,
    agent_version     integer not null,
    -- Lease: which process owns the run, until when, and the fencing epoch every write carries.
    lease_owner       text,
    lease_epoch       bigint not null default 0,
    lease_expires_at  timestamptz,
    -- Tool calls committed but not yet answered, with their attempt counts: {"callId": attempts}.
    pending_tools     jsonb not null default '{}'::jsonb,
    input_tokens      bigint not null default 0,
    output_tokens     bigint not null default 0,
    cached_tokens     bigint not null default 0,
    reasoning_tokens  bigint not null default 0,
    model_calls       integer not null default 0,
    cancel_requested  boolean not null default false,
    output            text,
    error             jsonb,
    created_at        timestamptz not null default now(),
    started_at        timestamptz,
    finished_at       timestamptz,
    updated_at        timestamptz not null default now(),
    unique (session_id, input_seq)
);
-- Guarantee 2: at most one running run per session, whatever the workers race to do.
create unique index runs_one_running_per_session on runs (session_id) where status = 'running';
-- The claim query scans only live runs.
create index runs_live on runs (created_at) where status in ('queued', 'running');
create index runs_by_session on runs (tenant_id, session_id, input_seq);
-- Heartbeats renew every lease one process holds.
create index runs_leased on runs (lease_owner) where status = 'running';

create table events (
    tenant_id   uuid not null,
    session_id  uuid not null references sessions (id) on delete cascade,
    seq         bigint not null,
    run_id      uuid,
    type        text not null,
    payload     jsonb not null,
    created_at  timestamptz not null default now(),
    primary key (session_id, seq)
);

-- Events are never rewritten (they may only be deleted with their session).
create function berth_events_immutable() returns trigger language plpgsql as $$
begin
    raise exception 'events are append-only';
end
$$;
create trigger events_no_update before update on events
    for each row execute function berth_events_immutable();
