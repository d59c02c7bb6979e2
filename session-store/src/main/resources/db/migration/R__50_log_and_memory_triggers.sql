-- The functions behind the triggers of V1 and V4 (the triggers themselves are schema and stay
-- there). Supersedes the bodies V1 and V4 created; same signatures, so "create or replace".

-- Events are never rewritten (they may only be deleted with their session).
create or replace function berth_events_immutable() returns trigger language plpgsql as $$
begin
    raise exception 'events are append-only';
end
$$;

-- One counter per memory namespace, bumped by every change of its memories in the same
-- transaction: a process that cached a namespace's vectors reads this one row to know whether
-- they are current.
create or replace function berth_memory_namespace_bump() returns trigger language plpgsql as $$
begin
    if tg_op in ('UPDATE', 'DELETE') then
        insert into memory_namespaces as n (tenant_id, namespace, version) values (old.tenant_id, old.namespace, 1)
        on conflict (tenant_id, namespace) do update set version = n.version + 1;
    end if;
    if tg_op in ('INSERT', 'UPDATE') and (tg_op = 'INSERT' or new.namespace <> old.namespace) then
        insert into memory_namespaces as n (tenant_id, namespace, version) values (new.tenant_id, new.namespace, 1)
        on conflict (tenant_id, namespace) do update set version = n.version + 1;
    end if;
    return null;
end
$$;

-- A run that completes queues an extraction job, in the same transaction, when its agent
-- version asks for extraction: no completed run is ever missed, whatever the process does next.
create or replace function berth_queue_memory_job() returns trigger language plpgsql as $$
begin
    if new.status = 'completed' and old.status <> 'completed' then
        insert into memory_jobs (id, tenant_id, session_id, run_id, actor_id, agent_name, agent_version, from_seq,
                                 through_seq)
        select gen_random_uuid(), new.tenant_id, new.session_id, new.id, s.actor_id, new.agent_name,
               new.agent_version, new.input_seq, s.last_seq
          from sessions s
          join agents a on a.tenant_id = new.tenant_id and a.name = new.agent_name and a.version = new.agent_version
         where s.id = new.session_id
           and jsonb_array_length(coalesce(a.definition -> 'memory' -> 'extraction', '[]'::jsonb)) > 0
        on conflict (run_id) do nothing;
        if found then
            perform pg_notify('berth_memory_jobs', '');
        end if;
    end if;
    return null;
end
$$;
