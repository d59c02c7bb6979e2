-- Durable runs across processes (issue 4).

-- Sessions past their expires_at are marked 'expired' by the sweeper on any process.
alter table sessions drop constraint sessions_status_check;
alter table sessions add constraint sessions_status_check check (status in ('active', 'deleted', 'expired'));
-- The sweeper finds due sessions without scanning the others.
create index sessions_due on sessions (expires_at) where status = 'active' and expires_at is not null;

-- Every start of a tool call, written (fenced by the lease epoch) before the tool runs: a call
-- with more than one row was executed again after a takeover. The idempotency key is the one
-- the tool was given, so that it can be checked to be the same for every attempt.
create table tool_calls (
    run_id           uuid not null references runs (id) on delete cascade,
    call_id          text not null,
    attempt          integer not null check (attempt > 0),
    tenant_id        uuid not null,
    session_id       uuid not null,
    idempotency_key  text not null,
    lease_owner      text not null,
    lease_epoch      bigint not null,
    started_at       timestamptz not null default now(),
    primary key (run_id, call_id, attempt)
);
