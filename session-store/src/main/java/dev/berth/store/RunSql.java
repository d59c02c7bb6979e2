package dev.berth.store;

import dev.berth.store.internal.Rows;

/**
 * The SQL of {@link PgRunStore}. Notifications ({@code pg_notify}) are sent in the same
 * transactions, so listeners hear of a change only once it is committed:
 * {@code berth_work} (a run may be claimable), {@code berth_runs} (a run settled, payload: run
 * id; or its owner is asked to stop it, payload: run id and {@code :stop}), {@code berth_events}
 * (payload: session id and last sequence).
 *
 * <p>JSON parameters are sent as text and cast ({@code $n::text::jsonb}), because the pg
 * client would encode a Java string for a {@code jsonb} parameter as a JSON string literal.
 *
 * <p>The rules several statements share are SQL functions of {@code R__00_berth_rules.sql}
 * (ADR 0020): {@code berth_is_live(status)} is the one list of live statuses; the stored
 * functions called here are in the other {@code R__} migrations, one file per concern.
 */
final class RunSql {
    private RunSql() {
    }

    /**
     * Appends input and queues its run, following the session's input policy (R__10_run_submit.sql);
     * $6 the run's options as JSON text, or null (ADR 0036).
     */
    static final String SUBMIT = "select " + Rows.runColumns("r") + " from berth_submit($1, $2, $3, $4, $5, $6) r";

    /** A submission with the client's idempotency key (ADR 0024): key, fingerprint, ttl seconds, wait ms; $10 options. */
    static final String SUBMIT_KEYED = "select " + Rows.runColumns("r")
            + " from berth_submit_keyed($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) r";

    static final String FIND = "select " + Rows.runColumns("r") + " from runs r where r.id = $1 and r.tenant_id = $2";

    /**
     * Claims the oldest claimable runs, up to $3: queued with no earlier unfinished run in its session, or
     * running with an expired lease (a takeover). The tool calls a previous owner started are
     * already counted in pending_tools (see START_TOOLS). The trace context the client sent with
     * the input is read from the input event (one primary-key lookup), so the run's trace
     * continues the client's whichever process executes it. A takeover of a run whose lease
     * expired under an owner (its process died or lost touch; a release clears the owner) counts
     * as a failed attempt (ADR 0021); SET reads the row's old values.
     */
    static final String CLAIM = """
            with candidate as (
                select r.id, r.status as previous from runs r
                 where ((r.status = 'queued' and not exists (
                            select 1 from runs o where o.session_id = r.session_id and o.input_seq < r.input_seq
                               and berth_is_live(o.status)))
                    or (r.status = 'running' and r.lease_expires_at < now()))
                 -- a suspended tenant's runs wait, paused, until it is resumed (ADR 0034)
                 and not exists (select 1 from tenants t where t.id = r.tenant_id and t.suspended_at is not null)
                 order by r.created_at
                 limit $3
                 for update of r skip locked)
            update runs r set status = 'running', lease_owner = $1, lease_epoch = r.lease_epoch + 1,
                   lease_expires_at = now() + make_interval(secs => $2),
                   started_at = coalesce(r.started_at, now()), updated_at = now(),
                   failed_attempts = r.failed_attempts
                       + case when r.status = 'running' and r.lease_owner is not null then 1 else 0 end
              from candidate c, sessions s
             where r.id = c.id and s.id = r.session_id
            returning %s, r.lease_epoch, r.pending_tools::text as pending, r.cancel_requested, c.previous,
                      r.failed_attempts,
                      coalesce(r.resumed_at, r.started_at) as active_since, s.actor_id, s.state::text as session_state,
                      (select e.payload ->> 'traceparent' from events e
                        where e.session_id = r.session_id and e.seq = r.input_seq) as traceparent,
                      berth_budget_state(r.tenant_id, r.agent_name, r.session_id)::text as budget_state"""
            .formatted(Rows.runColumns("r"));

    /**
     * Commits a step, fenced by the lease epoch: the new events with their sequence numbers,
     * the session's state and the run's update, the starts of tool calls the engine runs
     * next, and for a run that ends the hand-over to its parent (R__20_step_commit.sql); $1 the
     * named values ({@link StepCommitCall}); returns the session's last sequence number
     * ({@code committed_seq}) and, for a run that goes on, its budget state ({@code budget_state},
     * berth_budget_state in R__85: the step's usage counted in it).
     */
    static final String COMMIT_STEP = "select committed_seq, budget_state::text from berth_commit_step_counted($1::text::jsonb)";

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

    /**
     * Queued and running runs for metrics (not every live status: paused and waiting runs need no
     * worker); the status filter matches the partial index runs_live.
     */
    static final String BACKLOG = """
            select count(*) filter (where status = 'queued') as queued,
                   count(*) filter (where status = 'running') as running,
                   coalesce((extract(epoch from now() - min(created_at) filter (where status = 'queued')) * 1000)::bigint, 0)
                       as oldest_ms
              from runs where status in ('queued', 'running')""";

    /** Gives a run up: its lease expires now, so any process claims it at once. */
    static final String RELEASE = """
            with released as (
                update runs set lease_owner = null, lease_expires_at = now() - interval '1 millisecond'
                 where id = $1 and lease_epoch = $2 and status = 'running' returning id)
            select pg_notify('berth_work', '') from released""";

    /**
     * Gives a run up after its steps kept failing: as RELEASE, and the failed attempt is counted
     * in the same statement (ADR 0021).
     */
    static final String RELEASE_FAILED = """
            with released as (
                update runs set lease_owner = null, lease_expires_at = now() - interval '1 millisecond',
                       failed_attempts = failed_attempts + 1
                 where id = $1 and lease_epoch = $2 and status = 'running' returning id)
            select pg_notify('berth_work', '') from released""";

    /** A committed step sets the failed attempts back to 0; fenced, and only written when there were any. */
    static final String RESET_ATTEMPTS = """
            update runs set failed_attempts = 0
             where id = $1 and lease_epoch = $2 and status = 'running' and failed_attempts > 0""";

    /**
     * Cancels a run and every live run under it, the deepest first: parked ones at once (with a
     * result for each call they leave open, and the hand-over to a parent), running ones at their
     * next step boundary (R__40_run_cancel_and_expiry.sql). No row: the tenant has no such run.
     */
    static final String CANCEL = "select " + Rows.runColumns("r") + " from berth_cancel_run($1, $2) r";

    /**
     * Expires due sessions in one batch and ends their live runs, with a result for each call
     * they leave open; sessions another sweeper holds are skipped. Owners of expired running runs
     * are fenced out (status is no longer 'running') and hear of it through berth_runs, as do
     * clients waiting for those runs (R__40_run_cancel_and_expiry.sql).
     */
    static final String EXPIRE_SESSIONS = "select expired_sessions as sessions from berth_expire_sessions($1)";
}
