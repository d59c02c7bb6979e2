-- Count quotas per tenant (issue 16 point 4, ADR 0031).
--
-- What each tenant holds, kept by the triggers of R__75_count_quotas.sql in the transaction of every
-- write that changes it; berth_check_quota (same file) reads a tenant's row under its lock after such
-- a write and refuses the write when it went over the tenant's limit. R__75 fills the rows from the
-- tables themselves, after its triggers exist.
create table tenant_usage (
    tenant_id      uuid   not null primary key references tenants (id) on delete cascade,
    live_sessions  bigint not null default 0,
    agents         bigint not null default 0,
    agent_versions bigint not null default 0,
    memories       bigint not null default 0,
    api_keys       bigint not null default 0,
    stored_bytes   bigint not null default 0
);

-- The byte quota's override (tenant_quotas has the others since V12).
alter table tenant_quotas add column max_stored_bytes bigint check (max_stored_bytes >= 0);
