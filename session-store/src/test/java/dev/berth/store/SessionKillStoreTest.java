package dev.berth.store;

import static dev.berth.store.StoreFixture.LEASE;
import static dev.berth.store.StoreFixture.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.error.ConflictException;
import dev.berth.runtime.run.ClaimedRun;
import dev.berth.runtime.run.Run;
import dev.berth.runtime.run.RunStatus;
import dev.berth.runtime.run.StepCommit;
import dev.berth.runtime.run.team.ChildStart;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The kill switch in the store (R__90_session_kill.sql, ADR 0033): berth_kill_session cancels the
 * session's trees and marks it; the guard on runs refuses any run in or under a killed session.
 */
class SessionKillStoreTest {
    private StoreFixture store;
    private PgSessionKillStore kills;

    @BeforeEach
    void migrated() {
        store = new StoreFixture();
        kills = new PgSessionKillStore(store.pool);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aKillCancelsTheWholeTreeOfTheSessionAndASecondKillKeepsTheFirstOnesWhoAndWhen() {
        // Given a parent waiting for its two running children, and input queued behind it
        UUID session = store.session("enqueue");
        Run parent = store.submit(session, "fan out");
        ClaimedRun claimedParent = store.claim(parent.id());
        store.askForTools(claimedParent, "w1", "w2");
        List<ChildStart> children = startChildren(claimedParent, "w1", "w2");
        store.claimAll(children.stream().map(ChildStart::runId).toList());
        Run behind = store.submit(session, "next");

        // When an operator kills the session, and another kills it again
        assertThat(kills.kill(store.tenant, session, "key:op").await().atMost(WAIT)).isTrue();
        String first = store.query("select killed_by || ' ' || killed_at::text from sessions where id = '" + session + "'");
        assertThat(kills.kill(store.tenant, session, "key:other").await().atMost(WAIT)).isTrue();

        // Then parked runs ended at once, the running child is told to stop, and the first kill is what the session shows
        assertThat(store.status(parent.id())).isEqualTo("cancelled");
        assertThat(store.query("select string_agg(status || ' ' || cancel_requested::text, ',' order by status) from runs"
                + " where parent_run_id = '" + parent.id() + "'")).isEqualTo("running true,running true");
        assertThat(store.status(behind.id())).isEqualTo("cancelled");
        assertThat(first).startsWith("key:op ");
        assertThat(store.query("select killed_by || ' ' || killed_at::text from sessions where id = '" + session + "'"))
                .isEqualTo(first);
    }

    @Test
    void aKilledSessionTakesNoInputAndItsRunsStartNoSubAgentsAndNeitherWritesAnything() {
        // Given a session whose run is running, then killed
        UUID session = store.session("enqueue");
        Run run = store.submit(session, "work");
        ClaimedRun claimed = store.claim(run.id());
        store.askForTools(claimed, "w1", "w2");
        kills.kill(store.tenant, session, "key:op").await().atMost(WAIT);
        String before = store.query("select count(*) || '/' || (select count(*) from sessions) || '/'"
                + " || (select count(*) from runs) from events");

        // When input arrives, and the running run's step (in flight at the kill) starts two sub-agents
        Throwable input = catchThrowable(() -> store.submit(session, "more"));
        Throwable delegation = catchThrowable(() -> startChildren(claimed, "w1", "w2"));

        // Then the input is refused as session-killed, the step fails, and neither wrote an event, session or run
        assertThat(input).isInstanceOf(ConflictException.class)
                .extracting(f -> ((ConflictException) f).problemType()).isEqualTo("session-killed");
        assertThat(delegation).isNotNull();
        assertThat(store.query("select count(*) || '/' || (select count(*) from sessions) || '/'"
                + " || (select count(*) from runs) from events")).isEqualTo(before);
    }

    @Test
    void aReopenedSessionTakesInputAgainAndAnotherTenantsSessionIsNotFound() {
        UUID session = store.session("enqueue");
        TenantId stranger = new TenantId(UUID.randomUUID());
        assertThat(kills.kill(stranger, session, "key:x").await().atMost(WAIT)).isFalse();
        assertThat(kills.reopen(stranger, session).await().atMost(WAIT)).isFalse();
        assertThat(store.query("select (killed_at is null)::text from sessions where id = '" + session + "'"))
                .isEqualTo("true");

        kills.kill(store.tenant, session, "key:op").await().atMost(WAIT);
        assertThat(kills.reopen(store.tenant, session).await().atMost(WAIT)).isTrue();

        assertThat(store.submit(session, "back").status()).isEqualTo(RunStatus.QUEUED);
        assertThat(store.query("select coalesce(killed_by, 'none') from sessions where id = '" + session + "'"))
                .isEqualTo("none");
    }

    /** The parent asks for sub-agents and waits: the step, the child sessions and runs, in one transaction. */
    /** The model's tool calls were committed before (askForTools). */
    private List<ChildStart> startChildren(ClaimedRun parent, String... calls) {
        List<ChildStart> children = java.util.Arrays.stream(calls)
                .map(call -> new ChildStart(UUID.randomUUID(), UUID.randomUUID(), call, "a", 1, "part")).toList();
        Map<String, Integer> pending = new java.util.LinkedHashMap<>();
        for (String call : calls) {
            pending.put(call, 1);
        }
        store.teams.startChildren(parent.lease(), StepCommit.to(RunStatus.WAITING).pending(pending).build(), children,
                LEASE).await().atMost(WAIT);
        return children;
    }
}
