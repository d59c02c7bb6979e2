-- A run's final commit hands its result to its parent inside berth_commit_step (issue 9), so
-- every step commit is one statement again; before, a final commit was BEGIN, the step, the
-- look-up of a sub-agent call (found for child runs only), COMMIT.
--
-- Locks are taken in the order of ADR 0003 and V5: the child's session and run rows (the step),
-- then the parent's call, session row and run row. Each statement of a PL/pgSQL function takes
-- a fresh snapshot, so the check for open sibling calls after the parent's row is locked sees
-- every sibling that settled before: of two children settling at once, the later one queues
-- the parent.

-- Settles the sub-agent call a child run answers, if any: records the result, appends
-- subagent.finished to the parent's session, and queues the parent when no call is open any
-- more. Also used when a run is cancelled.
create function berth_hand_over(p_child uuid, p_status text, p_output text, p_error text) returns void
language plpgsql as $$
declare
    v_parent uuid;
    v_call_id text;
    v_agent text;
    v_child_session uuid;
    v_session uuid;
    v_seq bigint;
    v_payload jsonb;
begin
    update subagent_calls set status = p_status, output = p_output, error = p_error::jsonb, finished_at = now()
     where child_run_id = p_child and status = 'running'
    returning parent_run_id, call_id, agent_name, child_session_id into v_parent, v_call_id, v_agent, v_child_session;
    if not found then
        return;
    end if;
    v_payload := jsonb_build_object('callId', v_call_id, 'agent', v_agent, 'childSessionId', v_child_session,
                                    'childRunId', p_child, 'status', p_status, 'output', p_output);
    if p_error is not null then
        v_payload := v_payload || jsonb_build_object('error', jsonb_build_object(
                'code', p_error::jsonb ->> 'code', 'message', p_error::jsonb ->> 'message'));
    end if;
    select session_id into v_session from runs where id = v_parent;
    update sessions set last_seq = last_seq + 1, updated_at = now() where id = v_session
    returning last_seq into v_seq;
    insert into events (tenant_id, session_id, seq, run_id, type, payload)
    select tenant_id, v_session, v_seq, v_parent, 'subagent.finished', v_payload from sessions where id = v_session;
    perform pg_notify('berth_events', v_session::text || ':' || v_seq::text);
    perform 1 from runs where id = v_parent for update;
    update runs set status = 'queued', updated_at = now()
     where id = v_parent and status = 'waiting'
       and not exists (select 1 from subagent_calls c where c.parent_run_id = v_parent and c.status = 'running');
    if found then
        perform pg_notify('berth_work', '');
        perform pg_notify('berth_runs', v_parent::text);
    end if;
end
$$;

-- As in V7, plus the hand-over of a run that ends.
create or replace function berth_commit_step(
    p_run uuid, p_epoch bigint, p_owner text, p_tenant uuid, p_session uuid,
    p_status text, p_pending text, p_input_tokens bigint, p_output_tokens bigint, p_cached_tokens bigint,
    p_reasoning_tokens bigint, p_model_calls integer, p_output text, p_error text,
    p_terminal boolean, p_settled boolean, p_lease_seconds double precision, p_state_patch text,
    p_types text[], p_payloads text[]) returns bigint
language plpgsql as $$
declare
    v_count integer := coalesce(array_length(p_types, 1), 0);
    v_last bigint;
begin
    update sessions set last_seq = last_seq + v_count, updated_at = now(),
           state = case when p_state_patch is null then state else jsonb_strip_nulls(state || p_state_patch::jsonb) end
     where id = p_session and tenant_id = p_tenant
    returning last_seq into v_last;
    if not found then
        raise exception 'run % is fenced out: its session is gone', p_run using errcode = 'BR001';
    end if;
    update runs set step = step + 1, status = p_status, pending_tools = p_pending::jsonb,
           input_tokens = input_tokens + p_input_tokens, output_tokens = output_tokens + p_output_tokens,
           cached_tokens = cached_tokens + p_cached_tokens, reasoning_tokens = reasoning_tokens + p_reasoning_tokens,
           model_calls = model_calls + p_model_calls, output = coalesce(p_output, output),
           error = coalesce(p_error::jsonb, error),
           finished_at = case when p_terminal then now() else finished_at end,
           lease_owner = case when p_settled then null else lease_owner end,
           lease_expires_at = case when p_settled then null else now() + make_interval(secs => p_lease_seconds) end,
           updated_at = now()
     where id = p_run and lease_epoch = p_epoch and lease_owner = p_owner and status = 'running';
    if not found then
        raise exception 'run % is fenced out at epoch %', p_run, p_epoch using errcode = 'BR001';
    end if;
    insert into events (tenant_id, session_id, seq, run_id, type, payload)
    select p_tenant, p_session, v_last - v_count + x.ord, p_run, x.type, x.payload::jsonb
      from unnest(p_types, p_payloads) with ordinality as x(type, payload, ord);
    perform pg_notify('berth_events', p_session::text || ':' || v_last::text);
    if p_terminal then
        perform berth_hand_over(p_run, p_status, p_output, p_error);
    end if;
    if p_settled then
        perform pg_notify('berth_runs', p_run::text);
        if exists (select 1 from runs where session_id = p_session and status = 'queued') then
            perform pg_notify('berth_work', '');
        end if;
    end if;
    return v_last;
end
$$;
