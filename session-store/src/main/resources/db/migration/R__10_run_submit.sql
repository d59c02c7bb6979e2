-- A submission: the input event and its queued run, under the session's input policy, in one
-- statement (ADR 0010). Supersedes the body V7 created.
--
-- Error codes (class BR, Berth's own), mapped by the session-store:
--   BR002 the session's input policy is 'reject' and a run of it is live
--   BR003 the session has expired
--   BR004 there is no such session for the tenant
-- p_options: the run's own options (ADR 0036, runs.options), JSON text, or null for none.
create or replace function berth_submit(p_session uuid, p_tenant uuid, p_run uuid, p_type text, p_payload text,
        p_options text)
returns setof runs
language plpgsql as $$
declare
    v_session sessions%rowtype;
    v_seq bigint;
    v_id uuid;
begin
    -- Locks the session row first: serialises appends per session (ADR 0003).
    select * into v_session from sessions
     where id = p_session and tenant_id = p_tenant and status = 'active'
       and (expires_at is null or expires_at > now())
       for update;
    if not found then
        if exists (select 1 from sessions where id = p_session and tenant_id = p_tenant
                      and (status = 'expired' or (status = 'active' and expires_at <= now()))) then
            raise exception 'session % has expired', p_session using errcode = 'BR003';
        end if;
        raise exception 'no session %', p_session using errcode = 'BR004';
    end if;
    if v_session.input_policy = 'reject'
       and exists (select 1 from runs where session_id = p_session and berth_is_live(status)) then
        raise exception 'session % is busy', p_session using errcode = 'BR002';
    elsif v_session.input_policy = 'interrupt' then
        -- Every live run of the session and under it: parked ones end at once, with a result for
        -- each open call written before the new input, so the log stays a valid conversation; the
        -- running one is asked to stop at its next step boundary. This session's row is held, so
        -- the rows of a child that is committing are skipped, not waited for (see berth_cancel_tree).
        for v_id in select id from runs where session_id = p_session and berth_is_live(status) order by input_seq loop
            perform berth_cancel_tree(v_id, true, true);
        end loop;
    end if;
    update sessions set last_seq = last_seq + 1, updated_at = now() where id = p_session
    returning last_seq into v_seq;
    insert into events (tenant_id, session_id, seq, run_id, type, payload)
    values (p_tenant, p_session, v_seq, p_run, p_type, p_payload::jsonb);
    perform pg_notify('berth_work', '');
    perform pg_notify('berth_events', p_session::text || ':' || v_seq::text);
    return query
        insert into runs (id, tenant_id, session_id, input_seq, status, agent_name, agent_version, options)
        values (p_run, p_tenant, p_session, v_seq, 'queued', v_session.agent_name, v_session.agent_version,
                p_options::jsonb)
        returning *;
end
$$;

-- The signature the previous release calls (no options), kept until a rolling update has replaced
-- its processes (ADR 0020); the next release drops it with "drop function if exists". Not a
-- default on p_options: a call with five arguments would then match both functions.
create or replace function berth_submit(p_session uuid, p_tenant uuid, p_run uuid, p_type text, p_payload text)
returns setof runs
language sql as $$
    select * from berth_submit(p_session, p_tenant, p_run, p_type, p_payload, null::text)
$$;

-- A submission that carries an idempotency key: the key is claimed first (berth_claim_key, R__60),
-- so a retry of it waits for this transaction and then finds the key, and a crash after the commit
-- leaves the key with the run it created. One statement still (ADR 0010).
create or replace function berth_submit_keyed(p_session uuid, p_tenant uuid, p_run uuid, p_type text, p_payload text,
        p_key text, p_fingerprint text, p_ttl_seconds bigint, p_wait_ms integer, p_options text)
returns setof runs
language plpgsql as $$
begin
    perform berth_claim_key(p_tenant, p_key, p_fingerprint, 'run', p_run::text, p_ttl_seconds, p_wait_ms);
    return query select * from berth_submit(p_session, p_tenant, p_run, p_type, p_payload, p_options);
end
$$;

-- The previous release's signature, as for berth_submit above.
create or replace function berth_submit_keyed(p_session uuid, p_tenant uuid, p_run uuid, p_type text, p_payload text,
        p_key text, p_fingerprint text, p_ttl_seconds bigint, p_wait_ms integer)
returns setof runs
language sql as $$
    select * from berth_submit_keyed(p_session, p_tenant, p_run, p_type, p_payload, p_key, p_fingerprint,
                                     p_ttl_seconds, p_wait_ms, null::text)
$$;
