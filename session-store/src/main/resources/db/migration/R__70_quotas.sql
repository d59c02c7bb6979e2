-- Rate limits (ADR 0029): one token bucket per tenant in PostgreSQL, so every process spends the
-- same tokens. The tenant's overrides (tenant_quotas) win over the configured defaults passed in.

-- Takes one token from p_tenant's bucket (p_rate tokens a second, at most p_burst held). Returns 0
-- when taken, else the seconds until a token is there (the bucket is then left as it was: a
-- refused request spends nothing). The row lock orders concurrent callers of one tenant; other
-- tenants never wait. Times are clock_timestamp(), read under the lock, so a caller that waited
-- for the lock never refills for time another caller already counted.
create or replace function berth_take_token(p_tenant uuid, p_rate double precision, p_burst double precision)
returns double precision
language plpgsql as $$
declare
    v_rate   double precision := p_rate;
    v_burst  double precision := p_burst;
    v_tokens double precision;
    v_at     timestamptz;
    v_now    timestamptz;
begin
    select coalesce(q.requests_per_second, p_rate), coalesce(q.burst, p_burst) into v_rate, v_burst
      from tenant_quotas q where q.tenant_id = p_tenant;
    if not found then
        v_rate := p_rate;
        v_burst := p_burst;
    end if;
    select b.tokens, b.refilled_at into v_tokens, v_at from rate_buckets b where b.tenant_id = p_tenant for update;
    if not found then
        -- A tenant's first request: its bucket starts full. Two first requests at once: one inserts,
        -- the other waits on the key and then locks the row the first wrote.
        insert into rate_buckets (tenant_id, tokens, refilled_at) values (p_tenant, v_burst, clock_timestamp())
            on conflict (tenant_id) do nothing;
        select b.tokens, b.refilled_at into v_tokens, v_at from rate_buckets b where b.tenant_id = p_tenant for update;
    end if;
    v_now := clock_timestamp();
    v_tokens := least(v_burst, v_tokens + v_rate * greatest(0, extract(epoch from v_now - v_at)));
    if v_tokens < 1 then
        return (1 - v_tokens) / v_rate;
    end if;
    update rate_buckets set tokens = v_tokens - 1, refilled_at = v_now where tenant_id = p_tenant;
    return 0;
end
$$;
