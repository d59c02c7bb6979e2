package dev.berth.store;

import dev.berth.store.internal.Rows;

/**
 * The SQL of agent teams ({@link PgTeamStore}; a child's hand-over to its parent is the
 * {@code berth_hand_over} function of R__30_teams_hand_over.sql, and a cancellation of a team run is
 * {@code berth_cancel_run}). Lock order, to stay free
 * of deadlocks: a child's rows before its parent's, and a session's row before its runs'.
 */
final class TeamSql {
    private TeamSql() {
    }

    /** Child sessions: the parent session's actor, team pins and expiry; metadata says where they come from. */
    static final String INSERT_CHILD_SESSIONS = """
            insert into sessions (id, tenant_id, agent_name, agent_version, actor_id, status, input_policy, team,
                                  metadata, last_seq, expires_at, parent_session_id)
            select x.id, p.tenant_id, x.agent, x.version, p.actor_id, 'active', 'enqueue', p.team,
                   jsonb_build_object('parentSessionId', p.id, 'parentRunId', $2::uuid, 'callId', x.call_id),
                   1, p.expires_at, p.id
              from sessions p, unnest($3::uuid[], $4::text[], $5::int[], $6::text[]) as x(id, agent, version, call_id)
             where p.id = $1""";

    /** The input event of each child session: the sub-agent call's input, as the child's user message. */
    static final String INSERT_CHILD_INPUTS = """
            insert into events (tenant_id, session_id, seq, run_id, type, payload)
            select $1, x.session_id, 1, x.run_id, 'user.message', jsonb_build_object('text', x.input)
              from unnest($2::uuid[], $3::uuid[], $4::text[]) as x(session_id, run_id, input)""";

    /** Queued child runs; $3 the parent, $4 the root of the team run, $5 the children's depth. */
    static final String INSERT_CHILD_RUNS = """
            insert into runs (id, tenant_id, session_id, input_seq, status, agent_name, agent_version,
                              parent_run_id, root_run_id, depth)
            select x.run_id, $1, x.session_id, 1, 'queued', x.agent, x.version, $2, $3, $4
              from unnest($5::uuid[], $6::uuid[], $7::text[], $8::int[]) as x(run_id, session_id, agent, version)""";

    static final String INSERT_CALLS = """
            insert into subagent_calls (parent_run_id, call_id, tenant_id, agent_name, agent_version,
                                        child_session_id, child_run_id, status)
            select $1, x.call_id, $2, x.agent, x.version, x.session_id, x.run_id, 'running'
              from unnest($3::text[], $4::text[], $5::int[], $6::uuid[], $7::uuid[])
                   as x(call_id, agent, version, session_id, run_id)""";

    /** Depth and root of a run, and $3 the team's model calls so far (the root and all runs under it). */
    static final String POSITION = """
            select r.depth, coalesce(r.root_run_id, r.id) as root,
                   (select coalesce(sum(t.model_calls), 0) from runs t
                     where t.id = coalesce(r.root_run_id, r.id) or t.root_run_id = coalesce(r.root_run_id, r.id))
                       as team_steps
              from runs r where r.id = $1 and r.tenant_id = $2""";

    static final String CALLS = """
            select call_id, agent_name, agent_version, child_session_id, child_run_id, status, output, error::text as error
              from subagent_calls where parent_run_id = $1 and tenant_id = $2 order by created_at, call_id""";

    static final String PINS = "select team::text as team from sessions where id = $1 and tenant_id = $2";

    /** Queues a waiting parent when none of its calls is open any more (R__00_berth_rules.sql). */
    static final String WAKE_PARENT = "select berth_wake_parent($1)";

    /** The run and its descendants with the call each answers; parents before children. */
    static final String TREE = """
            with recursive tree(id, level) as (
                select id, 0 from runs where id = $1 and tenant_id = $2
                union all
                select c.id, t.level + 1 from runs c join tree t on c.parent_run_id = t.id)
            select %s, r.parent_run_id, r.depth, s.call_id, t.level
              from tree t join runs r on r.id = t.id
              left join subagent_calls s on s.child_run_id = r.id
             order by t.level, r.created_at""".formatted(Rows.runColumns("r"));

    static final String REPIN = """
            update sessions set agent_name = $3, agent_version = $4, team = $5::text::jsonb, updated_at = now()
             where id = $1 and tenant_id = $2 and status = 'active'""";

    /** After a handoff: the run and its session go on with the new agent version (fenced by the epoch). */
    static final String HAND_OFF = """
            with moved as (
                update runs set agent_name = $3, agent_version = $4, updated_at = now()
                 where id = $1 and lease_epoch = $2 and status = 'running'
                returning session_id)
            update sessions s set agent_name = $3, agent_version = $4, updated_at = now()
              from moved m where s.id = m.session_id
            returning s.id""";
}
