package dev.berth.runtime.engine;

import static dev.berth.runtime.testkit.ScriptedModel.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.model.ChatMessage;
import dev.berth.runtime.run.ActionAnswer;
import dev.berth.runtime.domain.AgentSpec;
import dev.berth.runtime.run.ClaimedRun;
import dev.berth.runtime.domain.ClientTool;
import dev.berth.runtime.domain.Event;
import dev.berth.runtime.domain.EventType;
import dev.berth.runtime.domain.InputPolicy;
import dev.berth.runtime.run.Run;
import dev.berth.runtime.run.RunStatus;
import dev.berth.runtime.internal.DocumentJson;
import dev.berth.runtime.run.paused.PausedRunService;
import dev.berth.runtime.testkit.ScriptedModel;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One claimed run's agent loop, without HTTP or a database: the in-memory run store, a strict
 * scripted model and a fake clock. Each test drives one execution and reads what the store
 * committed, as a successor (or a client) would.
 */
class RunExecutionTest {
    private EngineHarness h;
    private UUID session;

    @BeforeEach
    void setUp() {
        h = new EngineHarness();
        h.db.feed().silence();
        h.define("assistant", EngineHarness.agent());
        session = h.session("assistant", InputPolicy.ENQUEUE);
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    private void executeToTheEnd(ClaimedRun claimed) {
        h.execution(claimed).execute().await().atMost(Duration.ofSeconds(10));
    }

    @Test
    void aPlainTurnCommitsTheAnswerAndCompletesTheRun() {
        // Given a model that answers at once
        h.model.answer("Hello there.");
        Run run = h.submit(session, "Hi");

        // When an execution runs the claimed run
        ClaimedRun claimed = h.claim("engine-a");
        executeToTheEnd(claimed);

        // Then one step committed the answer and ended the run, and the lease is given up
        Run done = h.run(run.id());
        assertThat(done.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(done.output()).isEqualTo("Hello there.");
        assertThat(done.modelCalls()).isEqualTo(1);
        assertThat(done.step()).isEqualTo(1);
        assertThat(h.types(session)).containsExactly(EventType.USER_MESSAGE, EventType.ASSISTANT_MESSAGE);
        assertThat(h.runs.heartbeat(List.of(claimed.lease()), EngineHarness.LEASE_TTL)
                .await().indefinitely()).isEmpty();
        assertThat(h.model.problems()).isEmpty();
    }

    @Test
    void usageTheClientEstimatedIsMarkedSoInTheAssistantMessage() {
        // Given a model whose answer's usage was counted by the client (no usage on the provider's stream)
        h.model.answer("Hello there.", new dev.berth.model.Usage(12, 3, 0, 0, true)).answer("Again.");
        Run first = h.submit(session, "Hi");
        executeToTheEnd(h.claim("engine-a"));
        h.submit(session, "Once more");

        // When the next answer's usage is the provider's own
        executeToTheEnd(h.claim("engine-a"));

        // Then the first assistant message says its counts are estimated, the second says nothing of the kind
        List<Event> answers = h.db.events(session).stream().filter(e -> EventType.ASSISTANT_MESSAGE.equals(e.type())).toList();
        assertThat(answers.get(0).data().path("usage").path("inputTokens").asLong()).isEqualTo(12);
        assertThat(answers.get(0).data().path("usage").path("estimated").asBoolean()).isTrue();
        assertThat(answers.get(1).data().path("usage").has("estimated")).isFalse();
        assertThat(h.run(first.id()).usage().totalTokens()).isEqualTo(15);
        assertThat(h.model.problems()).isEmpty();
    }

    @Test
    void aToolStepCommitsTheResultWithItsStartAndTheModelReadsIt() {
        // Given a model that calls a tool, then answers
        h.model.callTools(call("c1", "lookup", "{\"key\":\"k1\"}")).answer("k1 is known.");
        Run run = h.submit(session, "What is k1?");

        // When the run executes
        ClaimedRun claimed = h.claim("engine-a");
        executeToTheEnd(claimed);

        // Then the call's start was recorded once, under this lease, before its result was committed
        assertThat(h.db.toolStarts()).singleElement().satisfies(start -> {
            assertThat(start.callId()).isEqualTo("c1");
            assertThat(start.attempt()).isEqualTo(1);
            assertThat(start.epoch()).isEqualTo(claimed.lease().epoch());
            assertThat(start.idempotencyKey()).isEqualTo(run.id() + ":c1");
        });
        assertThat(h.types(session)).containsExactly(EventType.USER_MESSAGE, EventType.ASSISTANT_MESSAGE,
                EventType.TOOL_RESULT, EventType.ASSISTANT_MESSAGE);
        Event result = h.db.events(session).get(2);
        assertThat(result.data().path("output").asText()).isEqualTo("value of k1");
        assertThat(result.data().path("error").asBoolean()).isFalse();
        // and the second model call carried the result after its call
        List<ChatMessage> second = h.model.requests().get(1).messages();
        assertThat(second.getLast()).isInstanceOfSatisfying(ChatMessage.Tool.class,
                tool -> assertThat(tool.content()).contains("value of k1"));
        assertThat(h.run(run.id()).status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(h.model.problems()).isEmpty();
    }

    @Test
    void aFailingToolBecomesAnErrorResultTheModelReads() {
        // Given a model that calls a tool that throws
        h.model.callTools(call("c1", "broken", "{\"key\":\"k1\"}")).answer("The tool is broken.");
        Run run = h.submit(session, "Try it");

        // When the run executes
        executeToTheEnd(h.claim("engine-a"));

        // Then the failure is a committed error result, and the run still completes
        Event result = h.db.events(session).get(2);
        assertThat(result.type()).isEqualTo(EventType.TOOL_RESULT);
        assertThat(result.data().path("error").asBoolean()).isTrue();
        // (an unexpected exception's message stays inside: the model reads that the tool failed)
        assertThat(result.data().path("output").asText()).isEqualTo("The tool 'broken' failed with an internal error.");
        assertThat(h.model.requests().get(1).messages().getLast()).isInstanceOfSatisfying(ChatMessage.Tool.class,
                tool -> assertThat(tool.content()).contains("failed with an internal error"));
        assertThat(h.run(run.id()).status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(h.model.problems()).isEmpty();
    }

    @Test
    void aRunPastItsTimeLimitFailsAtTheNextStepBoundary() {
        // Given a tool that takes longer (on the fake clock) than the run may
        long minutes = EngineHarness.RUN_TIMEOUT.toMinutes() + 1;
        h.model.callTools(call("c1", "slow", "{\"minutes\":" + minutes + "}"));
        Run run = h.submit(session, "Take your time");

        // When the run executes
        executeToTheEnd(h.claim("engine-a"));

        // Then the tool's result is kept, and the run fails with run_timeout before calling the model again
        Run failed = h.run(run.id());
        assertThat(failed.status()).isEqualTo(RunStatus.FAILED);
        assertThat(failed.error().code()).isEqualTo("run_timeout");
        assertThat(h.types(session)).containsExactly(EventType.USER_MESSAGE, EventType.ASSISTANT_MESSAGE,
                EventType.TOOL_RESULT, EventType.RUN_FAILED);
        assertThat(h.model.requests()).hasSize(1);
        assertThat(h.model.problems()).isEmpty();
    }

    @Test
    void aCancelDuringAModelCallEndsTheRunWithoutItsAnswer() throws Exception {
        // Given a model call in flight
        ScriptedModel.Held held = h.model.hold();
        Run run = h.submit(session, "Hi");
        RunExecution execution = h.execution(h.claim("engine-a"));
        CompletableFuture<Void> done = execution.execute().subscribeAsCompletionStage();
        await().atMost(Duration.ofSeconds(5)).until(held::called);

        // When the run is cancelled mid-step
        execution.cancel();
        done.get(10, TimeUnit.SECONDS);
        held.answer("too late");

        // Then the run is cancelled and the answer that came after was never committed
        assertThat(h.run(run.id()).status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(h.types(session)).containsExactly(EventType.USER_MESSAGE, EventType.RUN_CANCELLED);
        assertThat(h.model.problems()).isEmpty();
    }

    @Test
    void aCancelledRunWithACallOpenGetsAResultForItFromTheStoreBeforeItsEnd() throws Exception {
        // Given a run whose model asked for a tool, drained right after that answer was committed
        ScriptedModel.Held held = h.model.hold();
        Run run = h.submit(session, "Look it up");
        RunExecution first = h.execution(h.claim("engine-a"));
        CompletableFuture<Void> done = first.execute().subscribeAsCompletionStage();
        await().atMost(Duration.ofSeconds(5)).until(held::called);
        first.drain();
        held.callTools(call("c1", "lookup", "{}"));
        done.get(10, TimeUnit.SECONDS);

        // When the run is cancelled and its next owner stops it at its first step boundary
        h.runs.requestCancel(EngineHarness.TENANT, run.id()).await().indefinitely();
        executeToTheEnd(h.claim("engine-b"));

        // Then the store's step commit answered the open call, saying why, before run.cancelled
        assertThat(h.run(run.id()).status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(h.types(session)).containsExactly(EventType.USER_MESSAGE, EventType.ASSISTANT_MESSAGE,
                EventType.TOOL_RESULT, EventType.RUN_CANCELLED);
        assertThat(h.db.events(session).stream().filter(e -> EventType.TOOL_RESULT.equals(e.type())))
                .singleElement().satisfies(e -> assertThat(e.data().path("unanswered").asText()).isEqualTo("cancelled"));
    }

    @Test
    void aStepWhoseLeaseWasTakenOverIsRefusedAndWritesNothing() throws Exception {
        // Given a model call in flight under engine A's lease
        ScriptedModel.Held held = h.model.hold();
        Run run = h.submit(session, "Hi");
        ClaimedRun first = h.claim("engine-a");
        CompletableFuture<Void> done = h.execution(first).execute().subscribeAsCompletionStage();
        await().atMost(Duration.ofSeconds(5)).until(held::called);

        // When the lease expires, engine B takes the run over, and A's answer arrives after that
        h.clock.advance(EngineHarness.LEASE_TTL.plusSeconds(1));
        ClaimedRun second = h.claim("engine-b");
        held.answer("stale answer");
        done.get(10, TimeUnit.SECONDS);

        // Then A's commit was fenced out: nothing of its step is in the log, and B owns the run
        assertThat(second.takeover()).isTrue();
        assertThat(second.lease().epoch()).isEqualTo(first.lease().epoch() + 1);
        assertThat(h.types(session)).containsExactly(EventType.USER_MESSAGE);
        Run now = h.run(run.id());
        assertThat(now.status()).isEqualTo(RunStatus.RUNNING);
        assertThat(now.step()).isZero();
        assertThat(h.db.epoch(run.id())).isEqualTo(second.lease().epoch());

        // and B's execution finishes the run from the last committed step
        h.model.answer("fresh answer");
        executeToTheEnd(second);
        assertThat(h.run(run.id()).output()).isEqualTo("fresh answer");
        assertThat(h.types(session)).containsExactly(EventType.USER_MESSAGE, EventType.ASSISTANT_MESSAGE);
        assertThat(h.model.problems()).isEmpty();
    }

    @Test
    void aRestartedProcessWithTheSameOwnerIdCannotWriteWithItsOldEpoch() throws Exception {
        // Given a model call in flight under engine A's lease
        ScriptedModel.Held held = h.model.hold();
        Run run = h.submit(session, "Hi");
        ClaimedRun before = h.claim("engine-a");
        CompletableFuture<Void> done = h.execution(before).execute().subscribeAsCompletionStage();
        await().atMost(Duration.ofSeconds(5)).until(held::called);

        // When the lease lapses and a process with the same owner id claims the run again
        h.clock.advance(EngineHarness.LEASE_TTL.plusSeconds(1));
        ClaimedRun after = h.claim("engine-a");
        held.answer("from the old epoch");
        done.get(10, TimeUnit.SECONDS);

        // Then only the epoch tells the two apart, and the old one is refused
        assertThat(after.lease().owner()).isEqualTo(before.lease().owner());
        assertThat(after.lease().epoch()).isGreaterThan(before.lease().epoch());
        assertThat(h.types(session)).containsExactly(EventType.USER_MESSAGE);
        assertThat(h.run(run.id()).step()).isZero();
    }

    @Test
    void aClientToolPausesTheRunWithoutALeaseAndTheAnswerResumesIt() {
        // Given an agent with a tool the client runs itself
        AgentSpec base = EngineHarness.agent();
        h.define("picker", new AgentSpec(base.instructions(), base.model(), base.tools(), base.limits(),
                base.inputPolicy(), List.of(new ClientTool("pick_color", "Asks the user for a colour.",
                        DocumentJson.object().put("type", "object"))), List.of(), List.of(), List.of(), null));
        UUID picking = h.session("picker", InputPolicy.ENQUEUE);
        h.model.callTools(call("c1", "pick_color", "{}")).answer("You picked blue.");
        Run run = h.submit(picking, "Pick a colour");

        // When the run executes up to the client tool
        executeToTheEnd(h.claim("engine-a"));

        // Then it waits for the client, holding no lease (nobody can claim it)
        assertThat(h.run(run.id()).status()).isEqualTo(RunStatus.REQUIRES_ACTION);
        assertThat(h.types(picking)).endsWith(EventType.RUN_REQUIRES_ACTION);
        assertThat(h.runs.claim("engine-b", EngineHarness.LEASE_TTL, 5).await().indefinitely()).isEmpty();

        // When the client answers, and a worker claims the run again
        Run answered = new PausedRunService(h.runs, h.config("api")).answer(EngineHarness.TENANT, run.id(),
                List.of(ActionAnswer.output("c1", "blue"))).await().indefinitely();
        assertThat(answered.status()).isEqualTo(RunStatus.QUEUED);
        executeToTheEnd(h.claim("engine-b"));

        // Then the model read the client's output and the run completed
        assertThat(h.run(run.id()).status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(h.types(picking)).containsExactly(EventType.USER_MESSAGE, EventType.ASSISTANT_MESSAGE,
                EventType.RUN_REQUIRES_ACTION, EventType.TOOL_RESULT, EventType.RUN_RESUMED,
                EventType.ASSISTANT_MESSAGE);
        assertThat(h.model.requests().get(1).messages()).anySatisfy(message -> assertThat(message)
                .isInstanceOfSatisfying(ChatMessage.Tool.class, tool -> assertThat(tool.content()).isEqualTo("blue")));
        assertThat(h.model.problems()).isEmpty();
    }
}
