-- Runs ended from outside their execution, each in one statement: a client's cancellation
-- (POST /v1/runs/{id}/cancel) and the expiry of due sessions. Both write a result for every
-- call they leave open (berth_settle_live), as the engine does when it ends a run itself.
-- Supersede RunSql's CANCEL and EXPIRE_SESSIONS statements and TeamSql's CANCEL_DESCENDANTS.

-- Cancels a run and every live run under it (berth_cancel_tree, the deepest first): parked ones
-- at once, running ones at their next step boundary. Returns the run as it is after, or nothing
-- when the tenant has no such run.
create or replace function berth_cancel_run(p_run uuid, p_tenant uuid) returns setof runs
language plpgsql as $$
begin
    if not exists (select 1 from runs where id = p_run and tenant_id = p_tenant) then
        return;
    end if;
    perform berth_cancel_tree(p_run, true, false);
    return query select * from runs where id = p_run;
end
$$;

-- Expires up to p_limit due sessions and ends their live runs ('expired'); sessions another
-- sweeper holds are skipped. Owners of running runs are fenced out and told to stop.
drop function if exists berth_expire_sessions(integer);
create function berth_expire_sessions(p_limit integer) returns table (expired_sessions bigint, expired_runs bigint)
language plpgsql as $$
declare
    v_session uuid;
    v_run uuid;
begin
    expired_sessions := 0;
    expired_runs := 0;
    for v_session in
        select s.id from sessions s
         where s.status = 'active' and s.expires_at is not null and s.expires_at <= now()
         order by s.expires_at limit p_limit
           for update skip locked loop
        update sessions s set status = 'expired', updated_at = now() where s.id = v_session;
        expired_sessions := expired_sessions + 1;
        for v_run in select r.id from runs r where r.session_id = v_session and berth_is_live(r.status)
                      order by r.input_seq for update of r loop
            perform berth_settle_live(v_run, 'expired', 'expired');
            expired_runs := expired_runs + 1;
        end loop;
    end loop;
    return next;
end
$$;
