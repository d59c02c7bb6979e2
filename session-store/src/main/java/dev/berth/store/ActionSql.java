package dev.berth.store;

import dev.berth.store.internal.Rows;

/**
 * The SQL of paused runs ({@link PgRunActions}): what a run waits for, in {@code run_waits},
 * and the answers that resume it. Answering locks the session row, then the run row, like
 * every other transaction that appends events (ADR 0003), so it cannot deadlock with steps.
 */
final class ActionSql {
    private ActionSql() {
    }

    /** $1 run, $2 tenant, $3 session; $4..$8 the keys, kinds, tool names, arguments and positions. */
    static final String INSERT_WAITS = """
            insert into run_waits (run_id, wait_key, tenant_id, session_id, kind, tool_name, arguments, position)
            select $1, x.wait_key, $2, $3, x.kind, x.tool_name, x.arguments, x.position
              from unnest($4::text[], $5::text[], $6::text[], $7::text[], $8::int[])
                   as x(wait_key, kind, tool_name, arguments, position)
            on conflict (run_id, wait_key) do nothing""";

    static final String FIND_WAITS = """
            select wait_key, kind, tool_name, arguments, answer::text as answer from run_waits
             where run_id = $1 and tenant_id = $2 order by position, wait_key""";

    static final String RUN_SESSION = "select session_id from runs where id = $1 and tenant_id = $2";

    /**
     * Locks the session's row and says whether it has expired: by its status, or by its
     * {@code expires_at} before the sweeper has got to it (an expired session takes no answers).
     */
    static final String LOCK_SESSION = """
            select last_seq, status = 'expired' or (expires_at is not null and expires_at <= now()) as expired
              from sessions where id = $1 for update""";

    static final String LOCK_RUN = "select status from runs where id = $1 for update";

    /** The calls a run still waits for: what a decision about answers must have been made on. */
    static final String OPEN_WAITS = "select wait_key from run_waits where run_id = $1 and answer is null";

    /** $1 run; $2 the keys answered now, $3 their answers as JSON text. */
    static final String ANSWER_WAITS = """
            update run_waits w set answer = x.answer::jsonb, answered_at = now()
              from unnest($2::text[], $3::text[]) as x(wait_key, answer)
             where w.run_id = $1 and w.wait_key = x.wait_key and w.answer is null""";

    /** $1 run; $2 call ids no longer pending; $3 whether the run is queued again (notified by the event insert). */
    static final String SETTLE_RUN = """
            update runs r set pending_tools = r.pending_tools - $2::text[],
                   status = case when $3 then 'queued' else r.status end,
                   resumed_at = case when $3 then now() else r.resumed_at end,
                   updated_at = now()
             where r.id = $1
            returning %s""".formatted(Rows.runColumns("r"));

    /** Takes sequence numbers for the answers' events ($3 of them) in the locked session. */
    static final String APPEND_SEQUENCE = """
            update sessions set last_seq = last_seq + $3, updated_at = now()
             where id = $1 and tenant_id = $2
            returning last_seq""";

    /**
     * Appends the answers' events, numbered after $3, and notifies streams, waiting clients
     * (berth_runs) and workers (berth_work: the run may be claimable again).
     */
    static final String INSERT_EVENTS = """
            with appended as (
                insert into events (tenant_id, session_id, seq, run_id, type, payload)
                select $1, $2, $3 + x.ord, $4, x.type, x.payload::jsonb
                  from unnest($5::text[], $6::text[]) with ordinality as x(type, payload, ord))
            select pg_notify('berth_events', $2::text || ':' || $7::bigint::text),
                   pg_notify('berth_runs', $4::text),
                   pg_notify('berth_work', '')""";
}
