-- History that no run made (ADR 0039): events appended to a session's log with no run, in one
-- statement, under the session's lock like every other append (ADR 0003): conversation items a
-- client adds (user and assistant messages, function calls and their outputs), client messages
-- imported as history, and the marks that hide an item from later context.
--
-- p_when_idle: refuse while a run of the session is live. History items must not land between a
-- run's events (between a tool call and its result, or after input a queued run has yet to answer):
-- the context assembler orders each run's events after its input and would show them out of place.
-- A hiding mark may land anywhere, so it is appended whatever the runs do.
--
-- Error codes (class BR, Berth's own), mapped by the session-store:
--   BR002 a run of the session is live (only with p_when_idle)
--   BR003 the session has expired
--   BR004 there is no such session for the tenant
create or replace function berth_append_history(p_session uuid, p_tenant uuid, p_types text[], p_payloads text[],
        p_when_idle boolean)
returns table (seq bigint, created_at timestamptz)
language plpgsql as $$
declare
    v_last bigint;
    v_count integer := coalesce(array_length(p_types, 1), 0);
begin
    if v_count <> coalesce(array_length(p_payloads, 1), 0) then
        raise exception 'one payload per type' using errcode = '22023';
    end if;
    perform 1 from sessions
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
    if p_when_idle and exists (select 1 from runs r where r.session_id = p_session and berth_is_live(r.status)) then
        raise exception 'session % is busy', p_session using errcode = 'BR002';
    end if;
    if v_count = 0 then
        return;
    end if;
    update sessions set last_seq = last_seq + v_count, updated_at = now() where id = p_session
    returning last_seq into v_last;
    return query
        insert into events (tenant_id, session_id, seq, run_id, type, payload)
        select p_tenant, p_session, v_last - v_count + i, null, p_types[i], p_payloads[i]::jsonb
          from generate_subscripts(p_types, 1) as i
        returning events.seq, events.created_at;
    perform pg_notify('berth_events', p_session::text || ':' || v_last::text);
end
$$;
