-- A child run's hand-over to its parent (ADR 0009, 0011): settles the sub-agent call the child
-- answers, if any, appends subagent.finished to the parent's session and wakes the parent when
-- none of its calls is open any more (berth_wake_parent). Called by the child's final step
-- commit and when a run is cancelled (berth_cancel_one). Takes the locks in the order of ADR
-- 0003 and V5: the caller holds the child's rows; then the parent's call, session and run rows.
-- Supersedes the body V8 created.
create or replace function berth_hand_over(p_child uuid, p_status text, p_output text, p_error text) returns void
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
    perform berth_wake_parent(v_parent);
end
$$;
