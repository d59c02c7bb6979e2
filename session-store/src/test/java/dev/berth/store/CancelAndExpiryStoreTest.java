package dev.berth.store;

import static dev.berth.store.StoreFixture.LEASE;
import static dev.berth.store.StoreFixture.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.berth.runtime.error.FencedOutException;
import dev.berth.runtime.run.ClaimedRun;
import dev.berth.runtime.run.Run;
import dev.berth.runtime.run.RunStatus;
import dev.berth.runtime.run.StepCommit;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Runs ended from outside their execution (R__40_run_cancel_and_expiry.sql): the cancel route and
 * session expiry, each writing a result for every call it leaves open (issue 22, ADR 0018).
 */
class CancelAndExpiryStoreTest {
    private StoreFixture store;

    @BeforeEach
    void migrated() {
        store = new StoreFixture();
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void cancellingAPausedRunEndsItAtOnceWithAResultForEachOpenCall() {
        // Given a run waiting for two client outputs, one of which the client already sent
        UUID session = store.session("enqueue");
        Run paused = store.pausedRun(session, "c1", "c2");
        store.update("update run_waits set answer = '{\"output\": \"x\"}', answered_at = now()"
                + " where run_id = '" + paused.id() + "' and wait_key = 'c1'");

        // When a client cancels it
        Optional<Run> after = store.runs.requestCancel(store.tenant, paused.id()).await().atMost(WAIT);

        // Then it is cancelled, and each call still pending got a result saying so: the log is a valid conversation
        assertThat(after).get().extracting(Run::status).isEqualTo(RunStatus.CANCELLED);
        assertThat(store.query("select string_agg(payload ->> 'callId' || ':' || (payload ->> 'error') || ':'"
                + " || (payload ->> 'output'), ',' order by seq) from events where type = 'tool.result'"))
                .isEqualTo("c1:true:No result: the call was cancelled before it returned.,"
                        + "c2:true:No result: the call was cancelled before it returned.");
        assertThat(store.conversationCheck(session)).isNull();
        // and the next run of the session starts from that valid log
        Run next = store.submit(session, "again");
        assertThat(store.claim("owner-2", LEASE)).extracting(c -> c.run().id()).containsExactly(next.id());
    }

    @Test
    void cancellingARunningRunFlagsItForItsOwnerWhoEndsIt() {
        UUID session = store.session("enqueue");
        Run run = store.submit(session, "hi");
        ClaimedRun claimed = store.claim(run.id());

        Optional<Run> after = store.runs.requestCancel(store.tenant, run.id()).await().atMost(WAIT);

        assertThat(after).get().extracting(Run::status).isEqualTo(RunStatus.RUNNING);
        assertThat(store.query("select cancel_requested::text from runs where id = '" + run.id() + "'")).isEqualTo("true");
        // The owner commits the end itself (the engine writes its own results for open calls)
        store.runs.commit(claimed.lease(), StepCommit.to(RunStatus.CANCELLED).build(), LEASE).await().atMost(WAIT);
        assertThat(store.status(run.id())).isEqualTo("cancelled");
    }

    @Test
    void cancellingAnEndedOrUnknownRunChangesNothing() {
        UUID session = store.session("enqueue");
        Run run = store.submit(session, "hi");
        ClaimedRun claimed = store.claim(run.id());
        store.runs.commit(claimed.lease(), StepCommit.to(RunStatus.COMPLETED).output("ok").build(), LEASE)
                .await().atMost(WAIT);

        assertThat(store.runs.requestCancel(store.tenant, run.id()).await().atMost(WAIT)).get()
                .extracting(Run::status).isEqualTo(RunStatus.COMPLETED);
        assertThat(store.runs.requestCancel(store.tenant, UUID.randomUUID()).await().atMost(WAIT)).isEmpty();
        assertThat(store.runs.requestCancel(new dev.berth.runtime.domain.TenantId(UUID.randomUUID()), run.id())
                .await().atMost(WAIT)).isEmpty();
    }

    @Test
    void expiryEndsEveryLiveRunOfTheSessionWithResultsAndFencesTheOwnerOut() {
        // Given a due session with a paused run, and another due session whose run is running with a call open
        UUID pausedSession = store.session("enqueue");
        Run paused = store.pausedRun(pausedSession, "p1");
        UUID runningSession = store.session("enqueue");
        Run running = store.submit(runningSession, "hi");
        ClaimedRun claimed = store.claim(running.id());
        store.askForTools(claimed, "r1");
        store.update("update sessions set expires_at = now() - interval '1 second'");

        // When the sweeper expires due sessions
        int expired = store.runs.expireSessions(10).await().atMost(WAIT);

        // Then both sessions and both runs are expired, each open call has its result, the logs are valid
        assertThat(expired).isEqualTo(2);
        assertThat(store.status(paused.id())).isEqualTo("expired");
        assertThat(store.status(running.id())).isEqualTo("expired");
        assertThat(store.query("select string_agg(payload ->> 'callId' || '=' || (payload ->> 'unanswered'), ','"
                + " order by payload ->> 'callId') from events where type = 'tool.result'")).isEqualTo("p1=expired,r1=expired");
        assertThat(store.conversationCheck(pausedSession)).isNull();
        assertThat(store.conversationCheck(runningSession)).isNull();
        // and the running run's owner can no longer write
        Throwable late = catchThrowable(() -> store.runs.commit(claimed.lease(),
                StepCommit.to(RunStatus.COMPLETED).output("late").build(), LEASE).await().atMost(WAIT));
        assertThat(late).isInstanceOf(FencedOutException.class);
        assertThat(store.runs.expireSessions(10).await().atMost(WAIT)).isZero();
    }

    @Test
    void aDueSessionThatAnotherSweeperHoldsIsSkipped() throws Exception {
        // Given a due session whose row another transaction holds
        UUID session = store.session("enqueue");
        store.update("update sessions set expires_at = now() - interval '1 second'");
        try (var other = store.database.connect()) {
            other.setAutoCommit(false);
            other.createStatement().execute("select 1 from sessions where id = '" + session + "' for update");
            // When this sweeper runs, Then it skips that session rather than wait
            assertThat(store.runs.expireSessions(10).await().atMost(Duration.ofSeconds(5))).isZero();
            other.rollback();
        }
        assertThat(store.runs.expireSessions(10).await().atMost(WAIT)).isEqualTo(1);
    }
}
