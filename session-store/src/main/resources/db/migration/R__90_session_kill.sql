-- The operator kill switch (ADR 0033): a killed session's live runs and their sub-agent trees are
-- cancelled, and no run starts under it (its own input, or a sub-agent call of one of its runs, at
-- any depth) until it is reopened.
--
-- Error code BRK01: a run was to start in a killed session, or under one.

-- Kills the session: cancels every live run of it with its tree (berth_cancel_tree, the deepest
-- first, as berth_cancel_run does: parked ones at once, running ones at their next step boundary,
-- told by the berth_runs ':stop' notification on whichever process owns them), then marks it
-- killed. Idempotent: a second kill keeps the first one's who and when. Returns the session, or
-- nothing when the tenant has no such session.
create or replace function berth_kill_session(p_session uuid, p_tenant uuid, p_by text) returns setof sessions
language plpgsql as $$
declare
    v_id uuid;
begin
    if not exists (select 1 from sessions where id = p_session and tenant_id = p_tenant) then
        return;
    end if;
    -- The trees first, without this session's row held: a child's rows are locked before its
    -- parent's, the order of a child's final commit (see berth_cancel_tree). Only the oldest live
    -- run of a session can have children (one writer per session), and it comes first.
    for v_id in select id from runs where session_id = p_session and berth_is_live(status) order by input_seq loop
        perform berth_cancel_tree(v_id, true, false);
    end loop;
    update sessions set killed_at = coalesce(killed_at, now()),
                        killed_by = case when killed_at is null then p_by else killed_by end,
                        updated_at = now()
     where id = p_session;
    -- Input submitted after the loop above read the runs and before this row was locked: its run
    -- (queued, no children yet) is cancelled too. Later input finds the session killed.
    for v_id in select id from runs where session_id = p_session and berth_is_live(status)
                                      and not cancel_requested order by input_seq loop
        perform berth_cancel_tree(v_id, true, true);
    end loop;
    return query select * from sessions where id = p_session;
end
$$;

-- The guard: a run is refused when its session, or any session above it (a sub-agent's child
-- session names its parent's), is killed. One place for every way a run starts: input
-- (berth_submit), the interrupt policy's new run, and the children a team step starts; the
-- statement that inserts it changes nothing.
create or replace function berth_refuse_run_under_killed_session() returns trigger
language plpgsql as $$
begin
    if exists (
        with recursive up(id, killed_at, parent) as (
            select s.id, s.killed_at, s.parent_session_id from sessions s where s.id = new.session_id
            union all
            select s.id, s.killed_at, s.parent_session_id from sessions s join up on s.id = up.parent)
        select 1 from up where killed_at is not null) then
        raise exception 'session % is killed: it takes no input until reopened', new.session_id
            using errcode = 'BRK01';
    end if;
    return new;
end
$$;

drop trigger if exists runs_refused_under_killed_session on runs;
create trigger runs_refused_under_killed_session before insert on runs
    for each row execute function berth_refuse_run_under_killed_session();
