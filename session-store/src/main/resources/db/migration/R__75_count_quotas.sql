-- Count quotas (ADR 0031): tenant_usage (V14) kept exact by triggers, checked by berth_check_quota.
--
-- Every write that changes what a tenant holds shifts its tenant_usage row in the same transaction,
-- and so holds that row's lock until it ends: two creations of one tenant queue on the row, and the
-- second reads the count the first committed. A creation calls berth_check_quota after its insert,
-- still in its transaction; over the limit, it raises and the whole transaction (the object, its
-- idempotency key) rolls back. Other tenants never wait.
--
-- Counted: live sessions (status 'active'), agents (names: version 1 rows), agent versions (rows),
-- memory records (rows, expired ones until the sweeper deletes them), API keys (not revoked),
-- stored bytes (the UTF-8 bytes of memory records' content).

-- Adds the deltas to p_tenant's row. A row is created only to grow (a tenant being deleted gets none).
create or replace function berth_usage_shift(p_tenant uuid, p_sessions bigint, p_agents bigint, p_versions bigint,
                                             p_memories bigint, p_keys bigint, p_bytes bigint)
returns void
language plpgsql as $$
begin
    update tenant_usage
       set live_sessions = live_sessions + p_sessions, agents = agents + p_agents,
           agent_versions = agent_versions + p_versions, memories = memories + p_memories,
           api_keys = api_keys + p_keys, stored_bytes = stored_bytes + p_bytes
     where tenant_id = p_tenant;
    if not found and least(p_sessions, p_agents, p_versions, p_memories, p_keys, p_bytes) >= 0 then
        -- Two first writes at once: one inserts, the other waits on the key and then adds to it.
        insert into tenant_usage as u (tenant_id, live_sessions, agents, agent_versions, memories, api_keys, stored_bytes)
        values (p_tenant, p_sessions, p_agents, p_versions, p_memories, p_keys, p_bytes)
        on conflict (tenant_id) do update
           set live_sessions = u.live_sessions + excluded.live_sessions, agents = u.agents + excluded.agents,
               agent_versions = u.agent_versions + excluded.agent_versions, memories = u.memories + excluded.memories,
               api_keys = u.api_keys + excluded.api_keys, stored_bytes = u.stored_bytes + excluded.stored_bytes;
    end if;
end
$$;

-- Sessions: inserted or deleted while active, or leaving / entering 'active' (expiry).
create or replace function berth_usage_sessions() returns trigger
language plpgsql as $$
begin
    if tg_op = 'INSERT' then
        perform berth_usage_shift(g.tenant_id, g.n, 0, 0, 0, 0, 0)
           from (select tenant_id, count(*) n from added where status = 'active' group by tenant_id) g;
    else
        perform berth_usage_shift(g.tenant_id, -g.n, 0, 0, 0, 0, 0)
           from (select tenant_id, count(*) n from gone where status = 'active' group by tenant_id) g;
    end if;
    return null;
end
$$;

create or replace function berth_usage_session_status() returns trigger
language plpgsql as $$
begin
    perform berth_usage_shift(new.tenant_id,
                              (new.status = 'active')::int - (old.status = 'active')::int, 0, 0, 0, 0, 0);
    return null;
end
$$;

-- Agent versions (agents cannot be deleted but with their tenant; a name counts from its version 1).
create or replace function berth_usage_agents() returns trigger
language plpgsql as $$
begin
    perform berth_usage_shift(g.tenant_id, 0, g.names, g.n, 0, 0, 0)
       from (select tenant_id, count(*) filter (where version = 1) names, count(*) n from added group by tenant_id) g;
    return null;
end
$$;

create or replace function berth_usage_memories() returns trigger
language plpgsql as $$
begin
    if tg_op = 'INSERT' then
        perform berth_usage_shift(g.tenant_id, 0, 0, 0, g.n, 0, g.bytes)
           from (select tenant_id, count(*) n, sum(octet_length(content)) bytes from added group by tenant_id) g;
    else
        perform berth_usage_shift(g.tenant_id, 0, 0, 0, -g.n, 0, -g.bytes)
           from (select tenant_id, count(*) n, sum(octet_length(content)) bytes from gone group by tenant_id) g;
    end if;
    return null;
end
$$;

create or replace function berth_usage_memory_content() returns trigger
language plpgsql as $$
begin
    perform berth_usage_shift(new.tenant_id, 0, 0, 0, 0, 0, octet_length(new.content) - octet_length(old.content));
    return null;
end
$$;

create or replace function berth_usage_keys() returns trigger
language plpgsql as $$
begin
    if tg_op = 'INSERT' then
        perform berth_usage_shift(g.tenant_id, 0, 0, 0, 0, g.n, 0)
           from (select tenant_id, count(*) n from added where revoked_at is null group by tenant_id) g;
    else
        perform berth_usage_shift(g.tenant_id, 0, 0, 0, 0, -g.n, 0)
           from (select tenant_id, count(*) n from gone where revoked_at is null group by tenant_id) g;
    end if;
    return null;
end
$$;

create or replace function berth_usage_key_revoked() returns trigger
language plpgsql as $$
begin
    perform berth_usage_shift(new.tenant_id, 0, 0, 0, 0,
                              (new.revoked_at is null)::int - (old.revoked_at is null)::int, 0);
    return null;
end
$$;

drop trigger if exists sessions_usage_added on sessions;
drop trigger if exists sessions_usage_gone on sessions;
drop trigger if exists sessions_usage_status on sessions;
drop trigger if exists agents_usage_added on agents;
drop trigger if exists memories_usage_added on memories;
drop trigger if exists memories_usage_gone on memories;
drop trigger if exists memories_usage_content on memories;
drop trigger if exists api_keys_usage_added on api_keys;
drop trigger if exists api_keys_usage_gone on api_keys;
drop trigger if exists api_keys_usage_revoked on api_keys;

-- Statement triggers with transition tables for inserts and deletes (an erasure deletes many rows:
-- one shift per tenant, not per row); row triggers with a WHEN for the updates, so that the step's
-- update of its session (last_seq, never status) does not even call a function.
create trigger sessions_usage_added after insert on sessions
    referencing new table as added for each statement execute function berth_usage_sessions();
create trigger sessions_usage_gone after delete on sessions
    referencing old table as gone for each statement execute function berth_usage_sessions();
create trigger sessions_usage_status after update of status on sessions
    for each row when (old.status is distinct from new.status) execute function berth_usage_session_status();
create trigger agents_usage_added after insert on agents
    referencing new table as added for each statement execute function berth_usage_agents();
create trigger memories_usage_added after insert on memories
    referencing new table as added for each statement execute function berth_usage_memories();
create trigger memories_usage_gone after delete on memories
    referencing old table as gone for each statement execute function berth_usage_memories();
create trigger memories_usage_content after update of content on memories
    for each row when (old.content is distinct from new.content) execute function berth_usage_memory_content();
create trigger api_keys_usage_added after insert on api_keys
    referencing new table as added for each statement execute function berth_usage_keys();
create trigger api_keys_usage_gone after delete on api_keys
    referencing old table as gone for each statement execute function berth_usage_keys();
create trigger api_keys_usage_revoked after update of revoked_at on api_keys
    for each row when ((old.revoked_at is null) <> (new.revoked_at is null)) execute function berth_usage_key_revoked();

-- The counts from the tables, in this migration's transaction: its triggers are in place and the
-- tables locked by them until it commits, so no write falls between the count and the triggers.
insert into tenant_usage as u (tenant_id, live_sessions, agents, agent_versions, memories, api_keys, stored_bytes)
select t.id,
       (select count(*) from sessions s where s.tenant_id = t.id and s.status = 'active'),
       (select count(distinct a.name) from agents a where a.tenant_id = t.id),
       (select count(*) from agents a where a.tenant_id = t.id),
       (select count(*) from memories m where m.tenant_id = t.id),
       (select count(*) from api_keys k where k.tenant_id = t.id and k.revoked_at is null),
       (select coalesce(sum(octet_length(m.content)), 0) from memories m where m.tenant_id = t.id)
  from tenants t
on conflict (tenant_id) do update
   set live_sessions = excluded.live_sessions, agents = excluded.agents, agent_versions = excluded.agent_versions,
       memories = excluded.memories, api_keys = excluded.api_keys, stored_bytes = excluded.stored_bytes;

-- Refuses the write just made when p_tenant's p_quota went over its limit: the tenant's override
-- (tenant_quotas) or else p_default. Locks the tenant's usage row (the write above did already,
-- but a write that counts nothing, such as a memory replaced by key, did not), so what it reads is
-- what every earlier creation committed plus this transaction's own. p_adding: what the write
-- added, so the error can name the use before it. Raises BR020 with 'quota=<q> limit=<n> used=<n>'.
create or replace function berth_check_quota(p_tenant uuid, p_quota text, p_default bigint, p_adding bigint)
returns boolean
language plpgsql as $$
declare
    v_used  bigint;
    v_limit bigint;
begin
    select case p_quota
               when 'live-sessions' then u.live_sessions when 'agents' then u.agents
               when 'agent-versions' then u.agent_versions when 'memories' then u.memories
               when 'api-keys' then u.api_keys when 'stored-bytes' then u.stored_bytes end
      into v_used from tenant_usage u where u.tenant_id = p_tenant for update;
    if not found then
        v_used := 0;
    end if;
    if v_used is null then
        raise exception 'unknown quota %', p_quota;
    end if;
    select case p_quota
               when 'live-sessions' then q.max_live_sessions when 'agents' then q.max_agents
               when 'agent-versions' then q.max_agent_versions when 'memories' then q.max_memories
               when 'api-keys' then q.max_api_keys when 'stored-bytes' then q.max_stored_bytes end
      into v_limit from tenant_quotas q where q.tenant_id = p_tenant;
    v_limit := coalesce(v_limit, p_default);
    if v_used > v_limit then
        raise exception 'quota=% limit=% used=%', p_quota, v_limit, greatest(0, v_used - p_adding)
            using errcode = 'BR020';
    end if;
    return true;
end
$$;
