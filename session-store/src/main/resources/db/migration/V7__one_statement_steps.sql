-- One statement, one round trip, one transaction for each step and each submission (issue 9):
-- the work that took BEGIN, three statements and COMMIT runs inside the server. Locks are
-- taken in the same order as before (the session row, then the run row), and a failed fence
-- raises, so the statement as a whole changes nothing.
--
-- Error codes (class BR, Berth's own), mapped by the session-store:
--   BR001 the run's lease is no longer this writer's (or its session is gone): fenced out
--   BR002 the session's input policy is 'reject' and a run of it is active
--   BR003 the session has expired
--   BR004 there is no such session for the tenant

create function berth_commit_step(
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
    -- The sequence numbers of the new events, and the session's state patch (null values remove keys).
    update sessions set last_seq = last_seq + v_count, updated_at = now(),
           state = case when p_state_patch is null then state else jsonb_strip_nulls(state || p_state_patch::jsonb) end
     where id = p_session and tenant_id = p_tenant
    returning last_seq into v_last;
    if not found then
        raise exception 'run % is fenced out: its session is gone', p_run using errcode = 'BR001';
    end if;
    -- The fence: only while the lease epoch and owner are still this writer's.
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
    if p_settled then
        perform pg_notify('berth_runs', p_run::text);
        -- Only when input waits behind this run: otherwise no process has anything new to claim.
        if exists (select 1 from runs where session_id = p_session and status = 'queued') then
            perform pg_notify('berth_work', '');
        end if;
    end if;
    return v_last;
end
$$;

create function berth_submit(p_session uuid, p_tenant uuid, p_run uuid, p_type text, p_payload text)
returns setof runs
language plpgsql as $$
declare
    v_seq bigint;
    v_policy text;
    v_agent text;
    v_version integer;
    v_id uuid;
    v_status text;
begin
    -- Locks the session row and takes the input's sequence number: serialises appends per session.
    update sessions set last_seq = last_seq + 1, updated_at = now()
     where id = p_session and tenant_id = p_tenant and status = 'active'
       and (expires_at is null or expires_at > now())
    returning last_seq, input_policy, agent_name, agent_version into v_seq, v_policy, v_agent, v_version;
    if not found then
        if exists (select 1 from sessions where id = p_session and tenant_id = p_tenant
                      and (status = 'expired' or (status = 'active' and expires_at <= now()))) then
            raise exception 'session % has expired', p_session using errcode = 'BR003';
        end if;
        raise exception 'no session %', p_session using errcode = 'BR004';
    end if;
    if v_policy = 'reject' and exists (select 1 from runs where session_id = p_session
                                          and status in ('queued', 'running', 'requires_action', 'waiting')) then
        raise exception 'session % is busy', p_session using errcode = 'BR002';
    elsif v_policy = 'interrupt' then
        -- First the live runs under this session's waiting runs (sub-agent calls, ADR 0009). The
        -- session row is held, so rows a child's final commit holds are skipped, not waited for (that
        -- commit waits for this session's row): such a child finishes, and reports to a cancelled parent.
        for v_id, v_status in
            with recursive tree(id) as (
                select c.id from runs c join runs p on c.parent_run_id = p.id
                 where p.session_id = p_session and p.status in ('queued', 'requires_action', 'waiting')
                union all
                select c.id from runs c join tree t on c.parent_run_id = t.id),
            locked as (
                select r.id from runs r join tree t on r.id = t.id
                 where r.status in ('queued', 'running', 'requires_action', 'waiting')
                   for update of r skip locked)
            update runs r set cancel_requested = true,
                   status = case when r.status = 'running' then r.status else 'cancelled' end,
                   finished_at = case when r.status = 'running' then r.finished_at else now() end,
                   updated_at = now()
              from locked l
             where r.id = l.id
            returning r.id, r.status loop
            perform pg_notify('berth_runs', v_id::text || case when v_status = 'running' then ':stop' else '' end);
        end loop;
        -- Waiting runs are cancelled at once; the running one is asked to stop at its next step boundary.
        for v_id in update runs set status = 'cancelled', finished_at = now(), updated_at = now(),
                                   lease_owner = null, lease_expires_at = null
                     where session_id = p_session and status in ('queued', 'requires_action', 'waiting') returning id loop
            perform pg_notify('berth_runs', v_id::text);
        end loop;
        for v_id in update runs set cancel_requested = true, updated_at = now()
                     where session_id = p_session and status = 'running' returning id loop
            perform pg_notify('berth_runs', v_id::text || ':stop');
        end loop;
    end if;
    insert into events (tenant_id, session_id, seq, run_id, type, payload)
    values (p_tenant, p_session, v_seq, p_run, p_type, p_payload::jsonb);
    perform pg_notify('berth_work', '');
    perform pg_notify('berth_events', p_session::text || ':' || v_seq::text);
    return query
        insert into runs (id, tenant_id, session_id, input_seq, status, agent_name, agent_version)
        values (p_run, p_tenant, p_session, v_seq, 'queued', v_agent, v_version)
        returning *;
end
$$;
