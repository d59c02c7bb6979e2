package dev.berth.store;

import static dev.berth.store.StoreFixture.LEASE;
import static dev.berth.store.StoreFixture.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.berth.runtime.error.BerthException;
import dev.berth.runtime.error.ConflictException;
import dev.berth.runtime.error.NotFoundException;
import dev.berth.runtime.run.ClaimedRun;
import dev.berth.runtime.run.Run;
import dev.berth.runtime.run.RunStatus;
import dev.berth.runtime.run.StepCommit;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** berth_submit (R__10_run_submit.sql) under each input policy. */
class SubmitPolicyStoreTest {
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
    void enqueueQueuesInputBehindTheLiveRunWhichGoesFirst() {
        // Given a session whose run is running
        UUID session = store.session("enqueue");
        Run first = store.submit(session, "one");
        ClaimedRun claimed = store.claim(first.id());

        // When more input arrives
        Run second = store.submit(session, "two");

        // Then it is queued, and not claimable while the first run is live
        assertThat(second.status()).isEqualTo(RunStatus.QUEUED);
        assertThat(second.inputSeq()).isEqualTo(2);
        assertThat(store.claim("other", LEASE)).isEmpty();
        // and once the first one completes, it is
        store.runs.commit(claimed.lease(), StepCommit.to(RunStatus.COMPLETED).output("ok").build(), LEASE)
                .await().atMost(WAIT);
        assertThat(store.claim("other", LEASE)).extracting(c -> c.run().id()).containsExactly(second.id());
    }

    @Test
    void rejectRefusesInputWhileARunIsLiveAndTakesItAfter() {
        // Given a session with the reject policy whose run waits for a client's output
        UUID session = store.session("reject");
        Run paused = store.pausedRun(session, "c1");

        // When input arrives
        Throwable refused = catchThrowable(() -> store.submit(session, "more"));

        // Then it is refused as busy and nothing is written
        assertThat(refused).isInstanceOf(ConflictException.class);
        assertThat(((BerthException) refused).problemType()).isEqualTo("session-busy");
        assertThat(store.query("select count(*) from runs where session_id = '" + session + "'")).isEqualTo("1");
        // and once the run is over, input is taken
        store.runs.requestCancel(store.tenant, paused.id()).await().atMost(WAIT);
        assertThat(store.submit(session, "now").status()).isEqualTo(RunStatus.QUEUED);
    }

    @Test
    void interruptEndsAPausedRunWithAResultForEachOpenCallBeforeTheNewInput() {
        // Given a session with the interrupt policy whose run waits for two client outputs
        UUID session = store.session("interrupt");
        Run paused = store.pausedRun(session, "c1", "c2");

        // When input arrives
        Run next = store.submit(session, "stop that");

        // Then the paused run is cancelled, nothing of it is pending, and its calls have results
        // (cancelled) written before the new input: the log is a valid conversation
        assertThat(store.status(paused.id())).isEqualTo("cancelled");
        assertThat(store.query("select pending_tools::text from runs where id = '" + paused.id() + "'")).isEqualTo("{}");
        assertThat(store.types(session)).isEqualTo(
                "user.message,assistant.message,run.requires_action,tool.result,tool.result,user.message");
        assertThat(store.query("select string_agg(payload ->> 'callId' || '=' || (payload ->> 'unanswered'), ','"
                + " order by seq) from events where type = 'tool.result'")).isEqualTo("c1=cancelled,c2=cancelled");
        assertThat(store.conversationCheck(session)).isNull();
        // and the new run is the one to claim
        assertThat(store.claim("owner-2", LEASE)).extracting(c -> c.run().id()).containsExactly(next.id());
    }

    @Test
    void interruptAsksARunningRunToStopAtItsNextStep() {
        // Given a session with the interrupt policy whose run is running
        UUID session = store.session("interrupt");
        Run running = store.submit(session, "one");
        ClaimedRun claimed = store.claim(running.id());

        // When input arrives
        store.submit(session, "two");

        // Then the running run is flagged for its owner (the heartbeat tells it) and still running
        assertThat(store.query("select status || ':' || cancel_requested from runs where id = '" + running.id() + "'"))
                .isEqualTo("running:true");
        assertThat(store.runs.heartbeat(java.util.List.of(claimed.lease()), LEASE).await().atMost(WAIT))
                .singleElement().satisfies(lease -> assertThat(lease.cancelRequested()).isTrue());
    }

    @Test
    void anExpiredOrUnknownSessionTakesNoInput() {
        UUID expired = store.session("enqueue");
        store.update("update sessions set expires_at = now() - interval '1 second' where id = '" + expired + "'");

        Throwable late = catchThrowable(() -> store.submit(expired, "late"));
        Throwable unknown = catchThrowable(() -> store.submit(UUID.randomUUID(), "who"));

        assertThat(((BerthException) late).problemType()).isEqualTo("session-expired");
        assertThat(unknown).isInstanceOf(NotFoundException.class);
        assertThat(store.query("select count(*) from events")).isEqualTo("0");
    }
}
