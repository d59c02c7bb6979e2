-- A step commit in one statement (ADR 0010, 0011), fenced by the lease: the step's events with
-- their sequence numbers, the session's state, the run's update, the starts of the tool calls
-- the engine runs next, and for a run that ends the hand-over to its parent. Supersedes the
-- functions V7 and V8 created (20 and 23 positional parameters), which only processes of the
-- previous release still call.
--
-- One argument, a JSON object with named fields (session-store's StepCommitCall writes it):
--   run, epoch, owner, tenant, session   the lease and where the run lives
--   status                               the run's status after the step
--   pending {callId: attempts}           the calls left unanswered after the step
--   usage {input, output, cached, reasoning}, modelCalls   added to the run's totals
--   output, error                        the final answer, or why the run failed (null: unchanged)
--   leaseSeconds                         the lease's new length while the run goes on
--   state                                the session's whole state after the step (null: unchanged)
--   events [{type, payload}]             appended in order
--   started [{callId, attempt, key}]     tool starts recorded with the step
--   stepsBefore                          only on a try made again after an unknown outcome (the
--                                        connection broke while it ran): the run's committed steps
--                                        before this one (ADR 0025)
-- A run that is no longer live is over (terminal); one that is not running gives its lease up.
-- A run that ends with tool calls open gets a tool.result for each (berth_answer_open_calls,
-- ADR 0018), before the step's own events (so they precede run.failed / run.cancelled). Why
-- follows from the step: "cancelled" for a cancelled run, else the error's code ("interrupted"
-- without one). The engine sends no such events itself: this is the rule's one writer.
--
-- A try made again whose earlier try landed (the run is already one step further under this very
-- lease epoch: only this lease's owner commits its steps) writes nothing and returns what the
-- earlier try returned: the sequence of the run's last event.
-- Error code BR001: the run's lease is no longer this writer's (or its session is gone); the
-- statement as a whole then changes nothing.
-- Budgets (ADR 0032): the step's tokens (input + output) and model call are added to the usage
-- counters of its tenant, agent and session (berth_count_usage, R__85) in this same statement, and
-- a run that goes on gets back what the engine checks its next model call against
-- (berth_budget_state): berth_commit_step_counted answers both; berth_commit_step, the name the
-- previous release calls, answers the sequence only.
-- The positional versions stay for one release: processes of the previous release call the
-- 23-parameter one (V8) until a rolling update has replaced them (docs/operations.md, "Upgrade
-- with migrations"). The next release drops them here, with "drop function if exists".

create or replace function berth_commit_step_counted(p_step jsonb, out committed_seq bigint, out budget_state jsonb)
language plpgsql as $$
declare
    v_run uuid := (p_step ->> 'run')::uuid;
    v_epoch bigint := (p_step ->> 'epoch')::bigint;
    v_owner text := p_step ->> 'owner';
    v_tenant uuid := (p_step ->> 'tenant')::uuid;
    v_session uuid := (p_step ->> 'session')::uuid;
    v_status text := p_step ->> 'status';
    v_terminal boolean := not berth_is_live(p_step ->> 'status');
    v_settled boolean := (p_step ->> 'status') <> 'running';
    v_events jsonb := coalesce(p_step -> 'events', '[]'::jsonb);
    v_count integer := jsonb_array_length(coalesce(p_step -> 'events', '[]'::jsonb));
    v_error jsonb := nullif(p_step -> 'error', 'null'::jsonb);
    v_state jsonb := nullif(p_step -> 'state', 'null'::jsonb);
    v_last bigint;
    v_agent text;
    v_tokens bigint := coalesce((p_step #>> '{usage,input}')::bigint, 0) + coalesce((p_step #>> '{usage,output}')::bigint, 0);
    v_calls integer := coalesce((p_step ->> 'modelCalls')::integer, 0);
begin
    if (p_step ->> 'stepsBefore') is not null and exists (
            select 1 from runs where id = v_run and lease_epoch = v_epoch
                                 and step = (p_step ->> 'stepsBefore')::integer + 1) then
        -- Newest first on the primary key: the run's events are at the end of its session's log.
        committed_seq := (select seq from events where session_id = v_session and run_id = v_run order by seq desc limit 1);
        if not v_settled then
            select berth_budget_state(v_tenant, r.agent_name, v_session) into budget_state from runs r where r.id = v_run;
        end if;
        return;
    end if;
    -- Before the run's row takes the step's pending (none, for a run that ends): the calls left
    -- open are those the run's row still lists. A fenced-out writer's results roll back with it.
    if v_terminal then
        perform berth_answer_open_calls(v_run, case when v_status = 'cancelled' then 'cancelled'
                                                    else coalesce(v_error ->> 'code', 'interrupted') end);
    end if;
    -- The session row first (ADR 0003): the sequence numbers of the new events, and its state.
    update sessions set last_seq = last_seq + v_count, updated_at = now(), state = coalesce(v_state, state)
     where id = v_session and tenant_id = v_tenant
    returning last_seq into v_last;
    if not found then
        raise exception 'run % is fenced out: its session is gone', v_run using errcode = 'BR001';
    end if;
    -- The fence: only while the lease epoch and owner are still this writer's.
    update runs set step = step + 1, status = v_status, pending_tools = coalesce(p_step -> 'pending', '{}'::jsonb),
           input_tokens = input_tokens + coalesce((p_step #>> '{usage,input}')::bigint, 0),
           output_tokens = output_tokens + coalesce((p_step #>> '{usage,output}')::bigint, 0),
           cached_tokens = cached_tokens + coalesce((p_step #>> '{usage,cached}')::bigint, 0),
           reasoning_tokens = reasoning_tokens + coalesce((p_step #>> '{usage,reasoning}')::bigint, 0),
           model_calls = model_calls + coalesce((p_step ->> 'modelCalls')::integer, 0),
           output = coalesce(p_step ->> 'output', output),
           error = coalesce(v_error, error),
           finished_at = case when v_terminal then now() else finished_at end,
           lease_owner = case when v_settled then null else lease_owner end,
           lease_expires_at = case when v_settled then null
                                   else now() + make_interval(secs => (p_step ->> 'leaseSeconds')::double precision) end,
           updated_at = now()
     where id = v_run and lease_epoch = v_epoch and lease_owner = v_owner and status = 'running'
    returning agent_name into v_agent;
    if not found then
        raise exception 'run % is fenced out at epoch %', v_run, v_epoch using errcode = 'BR001';
    end if;
    insert into events (tenant_id, session_id, seq, run_id, type, payload)
    select v_tenant, v_session, v_last - v_count + x.ord, v_run, x.event ->> 'type', x.event -> 'payload'
      from jsonb_array_elements(v_events) with ordinality as x(event, ord);
    perform pg_notify('berth_events', v_session::text || ':' || v_last::text);
    if jsonb_array_length(coalesce(p_step -> 'started', '[]'::jsonb)) > 0 then
        insert into tool_calls (run_id, call_id, attempt, tenant_id, session_id, idempotency_key, lease_owner, lease_epoch)
        select v_run, x.start ->> 'callId', (x.start ->> 'attempt')::integer, v_tenant, v_session, x.start ->> 'key',
               v_owner, v_epoch
          from jsonb_array_elements(p_step -> 'started') as x(start)
        on conflict do nothing;
    end if;
    if v_terminal then
        perform berth_hand_over(v_run, v_status, p_step ->> 'output', v_error::text);
    end if;
    if v_settled then
        perform pg_notify('berth_runs', v_run::text);
        -- Only when input waits behind this run: otherwise no process has anything new to claim.
        if exists (select 1 from runs where session_id = v_session and status = 'queued') then
            perform pg_notify('berth_work', '');
        end if;
    end if;
    -- Last: after every other lock this statement takes (see berth_count_usage).
    if v_tokens > 0 or v_calls > 0 then
        perform berth_count_usage(v_tenant, v_agent, v_session, v_tokens, v_calls);
    end if;
    committed_seq := v_last;
    -- Only a run that goes on makes another model call under this lease.
    if not v_settled then
        budget_state := berth_budget_state(v_tenant, v_agent, v_session);
    end if;
end
$$;

create or replace function berth_commit_step(p_step jsonb) returns bigint
language sql as $$
    select committed_seq from berth_commit_step_counted(p_step)
$$;
