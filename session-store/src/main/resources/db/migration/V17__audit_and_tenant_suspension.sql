-- Audit trail and suspended tenants (issue 16 points 6 and 7, ADR 0034).
--
-- audit_log is append-only: the triggers of R__95_audit.sql refuse UPDATE, DELETE and TRUNCATE,
-- except the DELETE of berth_audit_expire, the retention path. No foreign key to tenants: the
-- rows of a deleted tenant stay (its deletion is one of them) until retention removes them.
create table audit_log (
    id          bigint generated always as identity primary key,
    at          timestamptz not null default clock_timestamp(),
    -- null only for a failed authentication whose key named no tenant
    tenant_id   uuid,
    principal   text not null,
    action      text not null,
    target_type text not null,
    target_id   text not null,
    request_id  text,
    outcome     text not null check (outcome in ('succeeded', 'refused')),
    digest      bytea not null check (octet_length(digest) = 32)
);

-- GET /v1/audit pages a tenant's rows newest first by id; retention deletes by time.
create index audit_log_tenant_id on audit_log (tenant_id, id desc);
create index audit_log_at on audit_log (at);

-- A suspended tenant's requests are refused and its runs are not claimed until it is resumed.
alter table tenants add column suspended_at timestamptz;
