-- Agent teams (issue 7): sub-agent calls run as child runs in child sessions; the parent waits
-- without a lease ('waiting') and the last child to settle queues it again. See docs/adr/0009.

alter table runs drop constraint runs_status_check;
alter table runs add constraint runs_status_check check (status in
    ('queued', 'running', 'requires_action', 'waiting', 'completed', 'failed', 'cancelled', 'expired'));

-- The team tree: a child run knows its parent and the root of its team run, and how deep it is.
alter table runs add column parent_run_id uuid;
alter table runs add column root_run_id uuid;
alter table runs add column depth integer not null default 0;
create index runs_children on runs (parent_run_id) where parent_run_id is not null;
create index runs_by_root on runs (root_run_id) where root_run_id is not null;

-- A session pins the versions of its team's members when it opens: {"agentName": version}.
-- A child session belongs to the session (and run) that started it, and goes with it.
alter table sessions add column team jsonb not null default '{}'::jsonb;
alter table sessions add column parent_session_id uuid references sessions (id) on delete cascade;
create index sessions_children on sessions (parent_session_id) where parent_session_id is not null;

-- One row per sub-agent call of a parent run: written with the step that starts the child,
-- settled in the transaction of the child's final commit. The parent resumes when none of its
-- calls is 'running' any more.
create table subagent_calls (
    parent_run_id     uuid not null references runs (id) on delete cascade,
    call_id           text not null,
    tenant_id         uuid not null,
    agent_name        text not null,
    agent_version     integer not null,
    child_session_id  uuid not null,
    child_run_id      uuid not null unique,
    status            text not null check (status in ('running', 'completed', 'failed', 'cancelled', 'expired')),
    output            text,
    error             jsonb,
    created_at        timestamptz not null default now(),
    finished_at       timestamptz,
    primary key (parent_run_id, call_id)
);
