package dev.berth.runtime.engine;

import static dev.berth.runtime.testkit.ScriptedModel.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.runtime.domain.EventType;
import dev.berth.runtime.domain.InputPolicy;
import dev.berth.runtime.observe.EngineObserver;
import dev.berth.runtime.run.ClaimedRun;
import dev.berth.runtime.run.Run;
import dev.berth.runtime.run.RunStatus;
import dev.berth.runtime.testkit.ScriptedModel;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A database the engine cannot reach for a while (ADR 0025), with the testkit's
 * {@code DatabaseFaults}: the execution keeps the run and the model answer it holds, tries the
 * same commit again under the same lease, and never calls the model twice for one step. Only
 * the fence ends it. The strict scripted model reports any call it was not scripted for.
 */
class DatabaseOutageTest {
    private EngineHarness h;
    private UUID session;
    private final AtomicInteger discarded = new AtomicInteger();
    private final AtomicInteger givenUp = new AtomicInteger();

    @BeforeEach
    void setUp() {
        h = new EngineHarness();
        h.db.feed().silence();
        h.observer = new EngineObserver() {
            @Override
            public void modelAnswerDiscarded(ClaimedRun claimed) {
                discarded.incrementAndGet();
            }

            @Override
            public void runGivenUp(ClaimedRun claimed) {
                givenUp.incrementAndGet();
            }
        };
        h.define("assistant", EngineHarness.agent());
        session = h.session("assistant", InputPolicy.ENQUEUE);
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    @Test
    void aCommitThatFailsTransientlyIsTriedAgainAndTheModelIsCalledOnce() throws Exception {
        // Given an execution whose model call is in flight
        ScriptedModel.Held held = h.model.hold();
        Run run = h.submit(session, "Hi");
        CompletableFuture<Void> done = h.execution(h.claim("engine-a")).execute().subscribeAsCompletionStage();
        await().atMost(Duration.ofSeconds(5)).until(held::called);

        // When the database refuses the next 7 statements (more than the 5 failures that give a run up)
        h.db.faults().failNext(7);
        held.answer("Hello there.");
        done.get(10, TimeUnit.SECONDS);

        // Then the same commit went through once the database answered: one model call, one answer
        assertThat(h.db.faults().failures()).isEqualTo(7);
        Run completed = h.run(run.id());
        assertThat(completed.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(completed.output()).isEqualTo("Hello there.");
        assertThat(completed.modelCalls()).isEqualTo(1);
        assertThat(h.model.requests()).hasSize(1);
        assertThat(h.types(session)).containsExactly(EventType.USER_MESSAGE, EventType.ASSISTANT_MESSAGE);
        assertThat(h.model.problems()).isEmpty();
        assertThat(discarded).hasValue(0);
        assertThat(givenUp).hasValue(0);
    }

    @Test
    void aCommitThatLandedButLostItsAnswerIsNotWrittenTwice() throws Exception {
        // Given an execution whose model call, which will ask for a tool, is in flight
        ScriptedModel.Held held = h.model.hold();
        h.model.answer("k1 is known.");
        Run run = h.submit(session, "Look k1 up");
        CompletableFuture<Void> done = h.execution(h.claim("engine-a")).execute().subscribeAsCompletionStage();
        await().atMost(Duration.ofSeconds(5)).until(held::called);

        // When the answer's commit lands but its answer is lost, as when the connection breaks after COMMIT
        h.db.faults().loseAnswerOfNext(1);
        held.callTools(call("c1", "lookup", "{\"key\":\"k1\"}"));
        done.get(10, TimeUnit.SECONDS);

        // Then the try made again saw the step had landed: each step is in the log once, and the tool ran
        Run completed = h.run(run.id());
        assertThat(h.db.faults().failures()).isEqualTo(1);
        assertThat(completed.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(h.types(session)).containsExactly(EventType.USER_MESSAGE, EventType.ASSISTANT_MESSAGE,
                EventType.TOOL_RESULT, EventType.ASSISTANT_MESSAGE);
        assertThat(completed.step()).isEqualTo(3);
        assertThat(completed.modelCalls()).isEqualTo(2);
        assertThat(h.model.requests()).hasSize(2);
        assertThat(h.model.problems()).isEmpty();
        assertThat(discarded).hasValue(0);
    }

    @Test
    void stepsThatCannotReachTheDatabaseAreNotFailedAttempts() {
        // Given a database that refuses every statement, more often than the 5 failed steps that give a run up
        h.model.answer("Back again.");
        Run run = h.submit(session, "Hi");
        ClaimedRun claimed = h.claim("engine-a");
        h.db.faults().down();
        CompletableFuture<Void> done = h.execution(claimed).execute().subscribeAsCompletionStage();
        await().atMost(Duration.ofSeconds(5)).until(() -> h.db.faults().failures() >= 10);

        // When it is back
        h.db.faults().up();

        // Then the run completed under the lease it had: nothing given up, no failed attempt counted
        await().atMost(Duration.ofSeconds(5)).until(done::isDone);
        Run completed = h.run(run.id());
        assertThat(completed.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(h.db.epoch(run.id())).isEqualTo(claimed.lease().epoch());
        assertThat(givenUp).hasValue(0);
        assertThat(h.model.requests()).hasSize(1);
    }

    @Test
    void heartbeatsThatCannotReachTheDatabaseDropNoRun() {
        // Given an engine whose run's model call is in flight, renewing its lease every 20 ms
        h.heartbeatInterval = "20ms";
        ScriptedModel.Held held = h.model.hold();
        Run run = h.submit(session, "Hi");
        RunEngine engine = h.engine("engine-a");
        await().atMost(Duration.ofSeconds(5)).until(held::called);

        // When the database refuses every statement for a while (only heartbeats are made meanwhile)
        h.db.faults().down();
        await().atMost(Duration.ofSeconds(5)).until(() -> h.db.faults().failures() >= 5);
        int activeDuringTheOutage = engine.activeRuns();
        h.db.faults().up();
        held.answer("Hello there.");

        // Then the engine kept the run throughout, and completed it under the lease it had
        Run completed = h.awaitStatus(run.id(), RunStatus.COMPLETED);
        assertThat(activeDuringTheOutage).isEqualTo(1);
        assertThat(h.db.epoch(run.id())).isEqualTo(1);
        assertThat(completed.output()).isEqualTo("Hello there.");
        assertThat(h.model.requests()).hasSize(1);
        assertThat(givenUp).hasValue(0);
        assertThat(discarded).hasValue(0);
    }

    @Test
    void aLeaseTakenOverDuringTheOutageFencesTheCommitAndTheLostAnswerIsCounted() throws Exception {
        // Given engine A's model call in flight
        ScriptedModel.Held held = h.model.hold();
        h.model.answer("Answer of engine B.");
        Run run = h.submit(session, "Hi");
        CompletableFuture<Void> first = h.execution(h.claim("engine-a")).execute().subscribeAsCompletionStage();
        await().atMost(Duration.ofSeconds(5)).until(held::called);

        // When the outage outlasts the lease: engine B takes the run over, and A's commit, refused
        // twice by the outage, is tried again once the database answers
        h.clock.advance(EngineHarness.LEASE_TTL.plusSeconds(1));
        ClaimedRun second = h.claim("engine-b");
        h.db.faults().failNext(2);
        held.answer("Answer of engine A.");
        first.get(10, TimeUnit.SECONDS);

        // Then the fence refused it: A stopped and counted the answer it threw away, B completes the run
        assertThat(h.db.faults().failures()).isEqualTo(2);
        assertThat(discarded).hasValue(1);
        assertThat(h.types(session)).containsExactly(EventType.USER_MESSAGE);
        h.execution(second).execute().await().atMost(Duration.ofSeconds(10));
        assertThat(h.run(run.id()).output()).isEqualTo("Answer of engine B.");
        assertThat(h.types(session)).containsExactly(EventType.USER_MESSAGE, EventType.ASSISTANT_MESSAGE);
        assertThat(givenUp).hasValue(0);
    }
}
