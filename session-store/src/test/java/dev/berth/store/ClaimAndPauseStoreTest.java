package dev.berth.store;

import static dev.berth.store.StoreFixture.LEASE;
import static dev.berth.store.StoreFixture.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.berth.runtime.error.BerthException;
import dev.berth.runtime.run.ActionAnswer;
import dev.berth.runtime.run.AnswerDecision;
import dev.berth.runtime.run.ClaimedRun;
import dev.berth.runtime.run.LeaseState;
import dev.berth.runtime.run.Run;
import dev.berth.runtime.run.RunStatus;
import dev.berth.runtime.run.RunStore;
import dev.berth.runtime.run.paused.ActionResolution;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Claims, leases and their expiry, heartbeats, release; pausing a run and applying answers. */
class ClaimAndPauseStoreTest {
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
    void aClaimTakesAQueuedRunWithAFreshLeaseAndTheSessionsState() {
        UUID session = store.session("enqueue");
        store.update("update sessions set state = '{\"k\": 1}' where id = '" + session + "'");
        Run run = store.submit(session, "hi");

        ClaimedRun claimed = store.claim("owner-a", LEASE).getFirst();

        assertThat(claimed.run().id()).isEqualTo(run.id());
        assertThat(claimed.takeover()).isFalse();
        assertThat(claimed.lease().epoch()).isEqualTo(1);
        assertThat(claimed.sessionState()).containsEntry("k", 1);
        assertThat(store.query("select status || ':' || lease_owner from runs")).isEqualTo("running:owner-a");
        // and nothing else is claimable: the run is leased
        assertThat(store.claim("owner-b", LEASE)).isEmpty();
    }

    @Test
    void anExpiredLeaseIsTakenOverWithTheNextEpochAndTheOldOneNoLongerRenews() {
        // Given a run whose lease of 200 ms is not renewed
        UUID session = store.session("enqueue");
        store.submit(session, "hi");
        ClaimedRun a = store.claim("owner-a", Duration.ofMillis(200)).getFirst();
        // When another process claims after it expired
        ClaimedRun[] b = new ClaimedRun[1];
        StoreFixture.until("the lease expires and B claims", () -> {
            List<ClaimedRun> claimed = store.claim("owner-b", LEASE);
            b[0] = claimed.isEmpty() ? null : claimed.getFirst();
            return b[0] != null;
        });
        // Then it is a takeover at the next epoch, and only B's heartbeat renews the lease
        assertThat(b[0].takeover()).isTrue();
        assertThat(b[0].lease().epoch()).isEqualTo(a.lease().epoch() + 1);
        assertThat(store.runs.heartbeat(List.of(a.lease()), LEASE).await().atMost(WAIT)).isEmpty();
        assertThat(store.runs.heartbeat(List.of(b[0].lease()), LEASE).await().atMost(WAIT))
                .extracting(LeaseState::epoch).containsExactly(b[0].lease().epoch());
    }

    @Test
    void aReleasedRunIsClaimableAtOnceButAStaleReleaseDoesNothing() {
        UUID session = store.session("enqueue");
        store.submit(session, "hi");
        ClaimedRun a = store.claim("owner-a", LEASE).getFirst();
        store.runs.release(a.lease()).await().atMost(WAIT);
        ClaimedRun b = store.claim("owner-b", LEASE).getFirst();

        store.runs.release(a.lease()).await().atMost(WAIT);

        assertThat(b.lease().epoch()).isEqualTo(2);
        assertThat(store.claim("owner-c", LEASE)).isEmpty();
        assertThat(store.query("select lease_owner from runs")).isEqualTo("owner-b");
    }

    @Test
    void aPauseReleasesTheLeaseAndRecordsWhatTheRunWaitsForAndAnswersQueueItAgain() {
        // Given a run paused for two client outputs
        UUID session = store.session("enqueue");
        Run run = store.pausedRun(session, "c1", "c2");
        assertThat(store.query("select status || ':' || (lease_owner is null) from runs")).isEqualTo("requires_action:true");
        assertThat(store.runs.pendingActions(store.tenant, run.id()).await().atMost(WAIT)).hasSize(2);

        // When runtime-core decides on one answer and the store applies it
        Run partly = apply(run, ActionAnswer.output("c1", "one"));
        // Then the run still waits
        assertThat(partly.status()).isEqualTo(RunStatus.REQUIRES_ACTION);

        // When the last answer is applied, Then the run is queued again with the results in its log
        Run resumed = apply(run, ActionAnswer.output("c2", "two"));
        assertThat(resumed.status()).isEqualTo(RunStatus.QUEUED);
        assertThat(store.types(session)).endsWith("run.requires_action,tool.result,tool.result,run.resumed");
        assertThat(store.conversationCheck(session)).isNull();
        assertThat(store.claim("owner-b", LEASE)).extracting(c -> c.run().id()).containsExactly(run.id());
    }

    @Test
    void aDecisionMadeOnCallsThatChangedMeanwhileIsNotApplied() {
        // Given two decisions about one paused run, made on the same read
        UUID session = store.session("enqueue");
        Run run = store.pausedRun(session, "c1", "c2");
        var pending = store.runs.pendingActions(store.tenant, run.id()).await().atMost(WAIT);
        AnswerDecision first = ActionResolution.resolve(run.id(), pending, List.of(ActionAnswer.output("c1", "a")), 1000);
        AnswerDecision second = ActionResolution.resolve(run.id(), pending, List.of(ActionAnswer.output("c2", "b")), 1000);
        store.runs.applyAnswers(store.tenant, run.id(), first).await().atMost(WAIT);
        String before = store.types(session);

        // When the second one arrives after the first was applied
        Throwable stale = catchThrowable(() -> store.runs.applyAnswers(store.tenant, run.id(), second)
                .await().atMost(WAIT));

        // Then the store refuses it (decide again) and changes nothing
        assertThat(((BerthException) stale).problemType()).isEqualTo(RunStore.ACTIONS_CHANGED);
        assertThat(store.types(session)).isEqualTo(before);
        assertThat(store.status(run.id())).isEqualTo("requires_action");
    }

    @Test
    void aSessionPastItsExpiryTakesNoAnswerBeforeTheSweeperHasRun() {
        // Given a paused run whose session's expiry has passed, not yet swept (no sweeper runs here)
        UUID session = store.session("enqueue");
        Run run = store.pausedRun(session, "c1");
        store.update("update sessions set expires_at = now() - interval '1 second' where id = '" + session + "'");
        String before = store.types(session);

        // When an answer arrives
        Throwable late = catchThrowable(() -> apply(run, ActionAnswer.output("c1", "late")));

        // Then it is refused as for an expired session, and nothing changes
        assertThat(late).as("the late answer is refused").isInstanceOf(BerthException.class);
        assertThat(((BerthException) late).problemType()).isEqualTo("session-expired");
        assertThat(store.types(session)).isEqualTo(before);
        assertThat(store.status(run.id())).isEqualTo("requires_action");
    }

    private Run apply(Run run, ActionAnswer answer) {
        var pending = store.runs.pendingActions(store.tenant, run.id()).await().atMost(WAIT);
        return store.runs.applyAnswers(store.tenant, run.id(),
                ActionResolution.resolve(run.id(), pending, List.of(answer), 1000)).await().atMost(WAIT);
    }
}
