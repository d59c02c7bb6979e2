-- Rate limits and quotas per tenant (issue 16, ADR 0029).
--
-- One token bucket per tenant, shared by every Berth process: berth_take_token (R__70_quotas.sql)
-- refills it for the time since refilled_at and takes one token, in one round trip per request.
create table rate_buckets (
    tenant_id   uuid             not null primary key references tenants (id) on delete cascade,
    tokens      double precision not null,
    refilled_at timestamptz      not null
);

-- An admin's overrides of the configured defaults (berth.quota.*); a null column keeps the default.
create table tenant_quotas (
    tenant_id           uuid    not null primary key references tenants (id) on delete cascade,
    requests_per_second double precision check (requests_per_second > 0),
    burst               double precision check (burst >= 1),
    max_live_sessions   integer check (max_live_sessions >= 0),
    max_agents          integer check (max_agents >= 0),
    max_agent_versions  integer check (max_agent_versions >= 0),
    max_memories        integer check (max_memories >= 0),
    max_api_keys        integer check (max_api_keys >= 0)
);
