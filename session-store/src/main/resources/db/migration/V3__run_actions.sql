-- Paused runs (issue 5): a run in 'requires_action' holds no lease and waits for results
-- from outside, one row per awaited result, keyed by the tool call id. Answers can arrive
-- days later on any process; when the last one of a run is answered, the run is queued
-- again in the same transaction. See docs/adr/0006-paused-runs-awaiting-external-results.md.
create table run_waits (
    run_id       uuid not null references runs (id) on delete cascade,
    -- What is awaited: the tool call id (unique within its run).
    wait_key     text not null,
    tenant_id    uuid not null,
    session_id   uuid not null,
    -- client_tool: the client executes the call and sends its output;
    -- approval: a human approves or denies a server-side call before it runs.
    kind         text not null check (kind in ('client_tool', 'approval')),
    tool_name    text not null,
    arguments    text not null,
    -- The order of the calls in the model's answer, to list them as the model asked.
    position     integer not null,
    -- null while unanswered; {"output": ...} or {"approved": true|false, "reason": ...}
    answer       jsonb,
    created_at   timestamptz not null default now(),
    answered_at  timestamptz,
    primary key (run_id, wait_key)
);

-- When a paused run was queued again: the run's wall-clock limit counts from here, so days
-- spent waiting for a human do not time it out.
alter table runs add column resumed_at timestamptz;
