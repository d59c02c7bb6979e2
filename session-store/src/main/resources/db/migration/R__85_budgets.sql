-- Budgets (ADR 0032): the usage counters of a tenant, an agent and a session, and what the engine
-- reads of them before a model call. The decision is runtime-core's (BudgetCheck): these functions
-- count and read, they refuse nothing.

-- The periods a step counts in: the UTC day and month of the transaction's start.
create or replace function berth_usage_periods(out day_start date, out month_start date)
language sql stable as $$
    select (now() at time zone 'UTC')::date, date_trunc('month', now() at time zone 'UTC')::date
$$;

-- Adds a step's tokens (input + output) and model calls to the six counters it counts in: the
-- tenant's, the agent's and the session's, each for the day and the month. Called by
-- berth_commit_step (R__20) last, after every other row lock it takes, so two commits of one
-- tenant lock the counters in the same order (tenant, agent, session) and never deadlock.
create or replace function berth_count_usage(p_tenant uuid, p_agent text, p_session uuid,
                                             p_tokens bigint, p_calls bigint) returns void
language sql as $$
    insert into usage_counters as u (tenant_id, scope, scope_key, period, period_start, tokens, calls)
    select p_tenant, c.scope, c.scope_key, c.period, c.period_start, p_tokens, p_calls
      from berth_usage_periods() p,
           lateral (values ('tenant', '', 'day', p.day_start), ('tenant', '', 'month', p.month_start),
                           ('agent', p_agent, 'day', p.day_start), ('agent', p_agent, 'month', p.month_start),
                           ('session', p_session::text, 'day', p.day_start),
                           ('session', p_session::text, 'month', p.month_start))
               as c(scope, scope_key, period, period_start)
    on conflict (tenant_id, scope, scope_key, period, period_start)
    do update set tokens = u.tokens + excluded.tokens, calls = u.calls + excluded.calls
$$;

-- What the engine needs to check a run's next model call: the tenant's budgets as an admin set
-- them (null: none, the configured defaults hold) and the six counters of the current periods.
--   {"limits": {...} | null,
--    "used": {"tenant":  {"day": {"tokens": n, "calls": n}, "month": {...}},
--             "agent":   {...}, "session": {...}}}
-- A counter with no row yet reads 0.
create or replace function berth_budget_state(p_tenant uuid, p_agent text, p_session uuid) returns jsonb
language sql stable as $$
    with p as (select * from berth_usage_periods()),
    used as (
        select c.scope, c.period,
               jsonb_build_object('tokens', coalesce(u.tokens, 0), 'calls', coalesce(u.calls, 0)) as counts
          from p,
               lateral (values ('tenant', '', 'day', p.day_start), ('tenant', '', 'month', p.month_start),
                               ('agent', p_agent, 'day', p.day_start), ('agent', p_agent, 'month', p.month_start),
                               ('session', p_session::text, 'day', p.day_start),
                               ('session', p_session::text, 'month', p.month_start))
                   as c(scope, scope_key, period, period_start)
          left join usage_counters u
            on u.tenant_id = p_tenant and u.scope = c.scope and u.scope_key = c.scope_key
           and u.period = c.period and u.period_start = c.period_start)
    select jsonb_build_object(
               'limits', (select b.limits from tenant_budgets b where b.tenant_id = p_tenant),
               'used', (select jsonb_object_agg(scope, periods)
                          from (select scope, jsonb_object_agg(period, counts) as periods
                                  from used group by scope) s))
$$;
