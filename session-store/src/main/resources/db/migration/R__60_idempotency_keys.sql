-- Idempotency keys (ADR 0024). A creating request that carries a key claims it first, in the
-- transaction of its effect; the effect then names what it created (berth_bind_key).
--
-- Error codes (class BR, Berth's own), mapped by the session-store:
--   BR010 the tenant already holds this key (unexpired): the request was made before; the
--         caller reads the key and answers from it
-- and SQLSTATE 55P03 (lock_not_available) when a request with the same key is still in flight
-- after p_wait_ms: it holds the key in its open transaction.

-- Claims (p_tenant, p_key) for a request with p_fingerprint, kept p_ttl_seconds. A request with
-- the same key in flight holds the row's index entry: this insert waits for its transaction to
-- end, at most p_wait_ms, then fails (BR010 if it committed, 55P03 if it is still open). An
-- expired row not yet swept is taken over, as if it were gone.
create or replace function berth_claim_key(p_tenant uuid, p_key text, p_fingerprint text, p_kind text,
        p_resource text, p_ttl_seconds bigint, p_wait_ms integer)
returns boolean
language plpgsql as $$
declare
    v_lock_timeout text := current_setting('lock_timeout');
begin
    -- Bounds only this insert's wait: the effect's own statements keep the usual setting.
    perform set_config('lock_timeout', p_wait_ms || 'ms', true);
    insert into idempotency_keys as k (tenant_id, key, fingerprint, kind, resource, expires_at)
    values (p_tenant, p_key, p_fingerprint, p_kind, p_resource, now() + make_interval(secs => p_ttl_seconds))
    on conflict (tenant_id, key) do update
        set fingerprint = excluded.fingerprint, kind = excluded.kind, resource = excluded.resource,
            created_at = now(), expires_at = excluded.expires_at
        where k.expires_at <= now();
    if not found then
        raise exception 'idempotency key already used' using errcode = 'BR010';
    end if;
    perform set_config('lock_timeout', v_lock_timeout, true);
    return true;
end
$$;

-- Names the resource a claimed key's request created (for effects whose id the database assigns).
create or replace function berth_bind_key(p_tenant uuid, p_key text, p_resource text)
returns boolean
language sql as $$
    update idempotency_keys set resource = p_resource where tenant_id = p_tenant and key = p_key returning true;
$$;
