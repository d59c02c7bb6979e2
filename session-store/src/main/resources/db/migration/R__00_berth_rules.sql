-- The rules of the run lifecycle that several statements share, each written once (ADR 0020).
-- A repeatable migration: Flyway runs it again whenever it changes, after the versioned ones
-- and before the other R__ files (they run in the order of their descriptions, and "00" sorts
-- first). Every function is created with "create or replace", so running it again is safe; a
-- changed signature needs a "drop function if exists" of the old one first.
--
-- Lock order (ADR 0003, 0009): a session's row before its runs' rows, and a child's rows before
-- its parent's. The helpers that take locks say which they take.

-- The statuses of a run that is not over: Java's RunStatus.live() (the statuses that are not terminal);
-- StoreRulesTest checks that both agree for every status.
create or replace function berth_live_statuses() returns text[]
language sql immutable parallel safe as $$
    select array['queued', 'running', 'requires_action', 'waiting']::text[]
$$;

create or replace function berth_is_live(p_status text) returns boolean
language sql immutable parallel safe as $$
    select p_status = any (berth_live_statuses())
$$;

-- Live, but no process executes it (queued, paused for actions, waiting for sub-agents): a
-- cancellation ends it at once. A running run is asked to stop at its next step boundary.
create or replace function berth_is_parked(p_status text) returns boolean
language sql immutable parallel safe as $$
    select p_status <> 'running' and berth_is_live(p_status)
$$;

-- A tool.result for every call the run leaves open (its pending_tools), in the order the model
-- asked for them, so the log stays a valid conversation (ADR 0018): the payload of the engine's
-- ToolTurn.unanswered. The caller holds the session's row (it appends to its log) and then the
-- run's. Returns how many results it wrote; the run's pending_tools are left to the caller.
create or replace function berth_answer_open_calls(p_run uuid, p_reason text) returns integer
language plpgsql as $$
declare
    v_run runs%rowtype;
    v_calls jsonb;
    v_count integer;
    v_last bigint;
begin
    select * into v_run from runs where id = p_run;
    if v_run.pending_tools = '{}'::jsonb then
        return 0;
    end if;
    select coalesce(jsonb_agg(c.call order by c.ord), '[]'::jsonb) into v_calls
      from (select e.payload from events e
             where e.session_id = v_run.session_id and e.run_id = p_run and e.type = 'assistant.message'
             order by e.seq desc limit 1) m,
           jsonb_array_elements(m.payload -> 'toolCalls') with ordinality as c(call, ord)
     where v_run.pending_tools ? (c.call ->> 'id');
    v_count := jsonb_array_length(v_calls);
    if v_count = 0 then
        return 0;
    end if;
    update sessions set last_seq = last_seq + v_count, updated_at = now() where id = v_run.session_id
    returning last_seq into v_last;
    insert into events (tenant_id, session_id, seq, run_id, type, payload)
    select v_run.tenant_id, v_run.session_id, v_last - v_count + c.ord, p_run, 'tool.result',
           jsonb_build_object('callId', c.call ->> 'id',
                              'idempotencyKey', p_run::text || ':' || (c.call ->> 'id'),
                              'name', c.call ->> 'name',
                              'output', 'No result: the call was ' || p_reason || ' before it returned.',
                              'error', true,
                              'unanswered', p_reason)
      from jsonb_array_elements(v_calls) with ordinality as c(call, ord);
    perform pg_notify('berth_events', v_run.session_id::text || ':' || v_last::text);
    return v_count;
end
$$;

-- Queues a waiting parent when none of its sub-agent calls is open any more; notifies workers
-- and the parent's waiting clients. The caller holds the parent's session row; this takes the
-- parent's run row, and the fresh snapshot of its check sees every sibling that settled before.
create or replace function berth_wake_parent(p_parent uuid) returns boolean
language plpgsql as $$
begin
    perform 1 from runs where id = p_parent for update;
    update runs set status = 'queued', updated_at = now()
     where id = p_parent and status = 'waiting'
       and not exists (select 1 from subagent_calls c where c.parent_run_id = p_parent and c.status = 'running');
    if not found then
        return false;
    end if;
    perform pg_notify('berth_work', '');
    perform pg_notify('berth_runs', p_parent::text);
    return true;
end
$$;

-- Ends a live run from outside its execution, with p_status (cancelled, expired): a result for
-- each open call (p_reason says why), no lease, nothing pending. An owner that still executes
-- it is fenced out (its status is no longer 'running') and told to stop. The caller holds the
-- session's row and then the run's.
create or replace function berth_settle_live(p_run uuid, p_status text, p_reason text) returns void
language plpgsql as $$
declare
    v_previous text;
begin
    perform berth_answer_open_calls(p_run, p_reason);
    select status into v_previous from runs where id = p_run;
    update runs set status = p_status, finished_at = now(), updated_at = now(), pending_tools = '{}'::jsonb,
           cancel_requested = cancel_requested or p_status = 'cancelled', lease_owner = null, lease_expires_at = null
     where id = p_run;
    perform pg_notify('berth_runs', p_run::text || case when v_previous = 'running' then ':stop' else '' end);
    -- A later run of the session may be claimable now.
    perform pg_notify('berth_work', '');
end
$$;

-- Cancels one run: a parked one at once (results for its open calls, its parent told through
-- berth_hand_over), a running one by asking its owner to stop at its next step boundary.
-- Locks its session's row, then its row; with p_skip_locked, a run whose rows someone else
-- holds is left alone (returns null), for a caller that holds rows above it in the lock order.
-- Returns the run's status after.
create or replace function berth_cancel_one(p_run uuid, p_skip_locked boolean) returns text
language plpgsql as $$
declare
    v_session uuid;
    v_status text;
begin
    select session_id into v_session from runs where id = p_run;
    if p_skip_locked then
        perform 1 from sessions where id = v_session for update skip locked;
        if not found then
            return null;
        end if;
        select status into v_status from runs where id = p_run for update skip locked;
        if not found then
            return null;
        end if;
    else
        perform 1 from sessions where id = v_session for update;
        select status into v_status from runs where id = p_run for update;
    end if;
    if berth_is_parked(v_status) then
        perform berth_settle_live(p_run, 'cancelled', 'cancelled');
        perform berth_hand_over(p_run, 'cancelled', null, null);
        return 'cancelled';
    elsif v_status = 'running' then
        update runs set cancel_requested = true, updated_at = now() where id = p_run;
        perform pg_notify('berth_runs', p_run::text || ':stop');
    end if;
    return v_status;
end
$$;

-- Cancels every live run under p_root (and p_root itself with p_with_root), the deepest first:
-- a child's rows before its parent's, the order of a child's final commit, so the two cannot
-- deadlock. A caller that already holds p_root's session row passes p_skip_locked (see
-- berth_cancel_one): a descendant busy committing finishes and reports to a cancelled parent.
create or replace function berth_cancel_tree(p_root uuid, p_with_root boolean, p_skip_locked boolean)
returns integer
language plpgsql as $$
declare
    v_id uuid;
    v_count integer := 0;
begin
    for v_id in
        with recursive tree(id, level) as (
            select p_root, 0
            union all
            select c.id, t.level + 1 from runs c join tree t on c.parent_run_id = t.id)
        select t.id from tree t join runs r on r.id = t.id
         where berth_is_live(r.status) and (p_with_root or t.id <> p_root)
         order by t.level desc, r.created_at loop
        if berth_cancel_one(v_id, p_skip_locked) is not null then
            v_count := v_count + 1;
        end if;
    end loop;
    return v_count;
end
$$;
