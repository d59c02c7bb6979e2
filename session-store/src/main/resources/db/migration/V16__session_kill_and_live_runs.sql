-- The operator kill switch and the tenant's live runs (issue 16, ADR 0033).
--
-- A killed session takes no input until it is reopened: who killed it and when are kept on the
-- session (berth_kill_session, R__90_session_kill.sql, writes them; a reopen clears them).
alter table sessions add column killed_at timestamptz, add column killed_by text;

-- GET /v1/runs lists a tenant's runs of some live statuses, oldest first or by cost: this finds
-- them without reading the tenant's finished runs (the many), whichever statuses are asked for.
create index runs_by_tenant_status on runs (tenant_id, status, created_at, id);
