-- Budgets on tokens and model calls (issue 16 point 5, ADR 0032).
--
-- usage_counters: what each tenant, agent and session spent in each day and month (UTC), added to
-- by the step commit itself (berth_commit_step, R__20) in the statement that adds to the run's own
-- totals, so counting costs no statement of its own. The engine reads them back from that same
-- statement, and from the claim, to decide before the next model call (berth_budget_state, R__85).
create table usage_counters (
    tenant_id    uuid   not null references tenants (id) on delete cascade,
    -- 'tenant' (scope_key ''), 'agent' (the agent's name) or 'session' (the session's id)
    scope        text   not null check (scope in ('tenant', 'agent', 'session')),
    scope_key    text   not null,
    period       text   not null check (period in ('day', 'month')),
    -- The first day of the period, in UTC.
    period_start date   not null,
    tokens       bigint not null default 0,
    calls        bigint not null default 0,
    primary key (tenant_id, scope, scope_key, period, period_start)
);

-- An admin's budgets for a tenant (PUT /v1/budgets): one JSON document (BudgetLimits in
-- runtime-core reads it); a measure it leaves out keeps the configured default (berth.budget.*).
create table tenant_budgets (
    tenant_id  uuid        not null primary key references tenants (id) on delete cascade,
    limits     jsonb       not null,
    updated_at timestamptz not null default now()
);

-- GET /v1/usage sums the runs of one tenant created in a time range.
create index runs_by_tenant_created on runs (tenant_id, created_at);
