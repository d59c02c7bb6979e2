-- The audit trail is append-only (ADR 0034), like events: UPDATE, DELETE and TRUNCATE are
-- refused, whoever asks. Retention is the one way out: berth_audit_expire sets a transaction-local
-- flag that the DELETE trigger honours, deletes the old rows and clears the flag, all inside the
-- caller's transaction, so no other statement of any session ever sees it set.
-- This guards against the application's own mistakes (an UPDATE or DELETE written by accident);
-- a database role that may create functions or set settings can get round it, as it can for events.

create or replace function berth_audit_immutable() returns trigger language plpgsql as $$
begin
    if tg_op = 'DELETE' and current_setting('berth.audit_expiring', true) = 'on' then
        return old;
    end if;
    raise exception 'audit_log is append-only (% refused)', tg_op;
end
$$;

drop trigger if exists audit_log_no_update on audit_log;
create trigger audit_log_no_update before update on audit_log
    for each row execute function berth_audit_immutable();
drop trigger if exists audit_log_no_delete on audit_log;
create trigger audit_log_no_delete before delete on audit_log
    for each row execute function berth_audit_immutable();
drop trigger if exists audit_log_no_truncate on audit_log;
create trigger audit_log_no_truncate before truncate on audit_log
    for each statement execute function berth_audit_immutable();

-- Retention: deletes the rows written before p_before; returns how many.
create or replace function berth_audit_expire(p_before timestamptz) returns bigint
language plpgsql as $$
declare
    v_count bigint;
begin
    perform set_config('berth.audit_expiring', 'on', true);
    delete from audit_log where at < p_before;
    get diagnostics v_count = row_count;
    perform set_config('berth.audit_expiring', 'off', true);
    return v_count;
end
$$;
