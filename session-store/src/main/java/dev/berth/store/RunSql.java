package dev.berth.store;

import dev.berth.store.internal.Rows;

/**
 * The SQL of {@link PgRunStore}. Notifications ({@code pg_notify}) are sent in the same
 * transactions, so listeners hear of a change only once it is committed:
 * {@code berth_work} (a run may be claimable), {@code berth_runs} (a run settled or was
 * asked to cancel; payload: run id), {@code berth_events} (payload: session id and last sequence).
 *
 * <p>JSON parameters are sent as text and cast ({@code $n::text::jsonb}), because the pg
 * client would encode a Java string for a {@code jsonb} parameter as a JSON string literal.
 */
final class RunSql {
    private RunSql() {
    }

    /** Locks the session row and takes the next sequence number; serialises appends per session. */
    static final String SUBMIT_SEQUENCE = """
            update sessions set last_seq = last_seq + 1, updated_at = now()
             where id = $1 and tenant_id = $2 and status = 'active' and (expires_at is null or expires_at > now())
            returning last_seq, input_policy, agent_name, agent_version""";

    /** Why a submission found no open session: missing (no row) or expired. */
    static final String SESSION_STATE = """
            select status, expires_at <= now() as due from sessions where id = $1 and tenant_id = $2""";

    static final String ACTIVE_RUN = """
            select 1 from runs where session_id = $1 and status in ('queued', 'running', 'requires_action', 'waiting') limit 1""";

    /** Cancels waiting runs at once and asks the running one to stop at its next step boundary. */
    static final String INTERRUPT = """
            with cancelled as (
                update runs set status = 'cancelled', finished_at = now(), updated_at = now(),
                       lease_owner = null, lease_expires_at = null
                 where session_id = $1 and status in ('queued', 'requires_action', 'waiting') returning id),
            flagged as (
                update runs set cancel_requested = true, updated_at = now()
                 where session_id = $1 and status = 'running' returning id)
            select pg_notify('berth_runs', id::text) from (select id from cancelled union all select id from flagged) x""";

    static final String INSERT_INPUT_AND_RUN = """
            with input as (
                insert into events (tenant_id, session_id, seq, run_id, type, payload)
                values ($2, $1, $3, $4, $5, $6::text::jsonb)),
            run as (
                insert into runs (id, tenant_id, session_id, input_seq, status, agent_name, agent_version)
                values ($4, $2, $1, $3, 'queued', $7, $8)
                returning *)
            select %s, pg_notify('berth_work', ''), pg_notify('berth_events', $1::text || ':' || $3::bigint::text)
              from run r""".formatted(Rows.runColumns("r"));

    static final String FIND = "select " + Rows.runColumns("r") + " from runs r where r.id = $1 and r.tenant_id = $2";

    /**
     * Claims the oldest claimable run: queued with no earlier unfinished run in its session, or
     * running with an expired lease (a takeover). The tool calls a previous owner started are
     * already counted in pending_tools (see START_TOOLS).
     */
    static final String CLAIM = """
            with candidate as (
                select r.id, r.status as previous from runs r
                 where (r.status = 'queued' and not exists (
                            select 1 from runs o where o.session_id = r.session_id and o.input_seq < r.input_seq
                               and o.status in ('queued', 'running', 'requires_action', 'waiting')))
                    or (r.status = 'running' and r.lease_expires_at < now())
                 order by r.created_at
                 limit 1
                 for update of r skip locked)
            update runs r set status = 'running', lease_owner = $1, lease_epoch = r.lease_epoch + 1,
                   lease_expires_at = now() + make_interval(secs => $2),
                   started_at = coalesce(r.started_at, now()), updated_at = now()
              from candidate c
             where r.id = c.id
            returning %s, r.lease_epoch, r.pending_tools::text as pending, r.cancel_requested, c.previous"""
            .formatted(Rows.runColumns("r"));

    /** Takes as many sequence numbers as events are appended, and applies a state patch (null values remove keys). */
    static final String APPEND_SEQUENCE = """
            update sessions set last_seq = last_seq + $3, updated_at = now(),
                   state = case when $4::text is null then state else jsonb_strip_nulls(state || $4::text::jsonb) end
             where id = $1 and tenant_id = $2
            returning last_seq""";

    /** Moves the run, only if the lease epoch and owner are still current. */
    static final String FENCED_UPDATE = """
            update runs set step = step + 1, status = $3, pending_tools = $4::text::jsonb,
                   input_tokens = input_tokens + $5, output_tokens = output_tokens + $6,
                   cached_tokens = cached_tokens + $7, reasoning_tokens = reasoning_tokens + $8,
                   model_calls = model_calls + $9, output = coalesce($10::text, output),
                   error = coalesce($11::text::jsonb, error),
                   finished_at = case when $12 then now() else finished_at end,
                   lease_owner = case when $15 then null else lease_owner end,
                   lease_expires_at = case when $15 then null else now() + make_interval(secs => $13) end,
                   updated_at = now()
             where id = $1 and lease_epoch = $2 and lease_owner = $14 and status = 'running'""";

    static final String INSERT_EVENTS = """
            with appended as (
                insert into events (tenant_id, session_id, seq, run_id, type, payload)
                select $1, $2, $3 + x.ord, $4, x.type, x.payload::jsonb
                  from unnest($5::text[], $6::text[]) with ordinality as x(type, payload, ord))
            select pg_notify('berth_events', $2::text || ':' || $7::bigint::text),
                   case when $8 then pg_notify('berth_runs', $4::text) end,
                   case when $8 then pg_notify('berth_work', '') end""";

    /**
     * Records the start of tool calls before they run: the attempts in pending_tools, and one
     * row per call started now in tool_calls. Fenced like FENCED_UPDATE: with a stale lease,
     * neither happens. $5/$6/$8: the ids, attempts and idempotency keys of the calls started now.
     */
    static final String START_TOOLS = """
            with fenced as (
                update runs set pending_tools = $3::text::jsonb, updated_at = now(),
                       lease_expires_at = now() + make_interval(secs => $7)
                 where id = $1 and lease_epoch = $2 and lease_owner = $4 and status = 'running'
                returning id, tenant_id, session_id),
            started as (
                insert into tool_calls (run_id, call_id, attempt, tenant_id, session_id, idempotency_key, lease_owner,
                                        lease_epoch)
                select f.id, x.call_id, x.attempt, f.tenant_id, f.session_id, x.idempotency_key, $4, $2
                  from fenced f, unnest($5::text[], $6::int[], $8::text[]) as x(call_id, attempt, idempotency_key)
                on conflict do nothing)
            select count(*) as fenced from fenced""";

    /** Renews the given leases ($1 ids, $2 epochs, $3 owners), each only while its epoch is current. */
    static final String HEARTBEAT = """
            update runs r set lease_expires_at = now() + make_interval(secs => $4)
              from unnest($1::uuid[], $2::bigint[], $3::text[]) as h(id, epoch, owner)
             where r.id = h.id and r.lease_epoch = h.epoch and r.lease_owner = h.owner and r.status = 'running'
            returning r.id, r.lease_epoch, r.cancel_requested""";

    /** Gives a run up: its lease expires now, so any process claims it at once. */
    static final String RELEASE = """
            with released as (
                update runs set lease_owner = null, lease_expires_at = now() - interval '1 millisecond'
                 where id = $1 and lease_epoch = $2 and status = 'running' returning id)
            select pg_notify('berth_work', '') from released""";

    /** A waiting run is cancelled at once; a running one is flagged for its owner. */
    static final String CANCEL = """
            with target as (
                update runs set cancel_requested = true,
                       status = case when status in ('queued', 'requires_action', 'waiting') then 'cancelled' else status end,
                       finished_at = case when status in ('queued', 'requires_action', 'waiting') then now() else finished_at end,
                       updated_at = now()
                 where id = $1 and tenant_id = $2 and status in ('queued', 'running', 'requires_action', 'waiting')
                returning *)
            select %s, pg_notify('berth_runs', r.id::text), pg_notify('berth_work', '') from target r"""
            .formatted(Rows.runColumns("r"));

    /**
     * Expires due sessions in one batch, and their unfinished runs; rows another sweeper holds
     * are skipped. Owners of expired running runs are fenced out (status is no longer
     * 'running') and hear of it through berth_runs, as do clients waiting for those runs.
     */
    static final String EXPIRE_SESSIONS = """
            with due as (
                select id from sessions
                 where status = 'active' and expires_at is not null and expires_at <= now()
                 order by expires_at limit $1
                 for update skip locked),
            expired as (
                update sessions s set status = 'expired', updated_at = now() from due where s.id = due.id
                returning s.id),
            runs_expired as (
                update runs r set status = 'expired', finished_at = now(), updated_at = now(),
                       lease_owner = null, lease_expires_at = null
                  from expired e
                 where r.session_id = e.id and r.status in ('queued', 'running', 'requires_action', 'waiting')
                returning r.id)
            select (select count(*) from expired) as sessions,
                   (select count(pg_notify('berth_runs', id::text)) from runs_expired) as runs""";
}
