package dev.berth.runtime.engine;

import static dev.berth.runtime.testkit.ScriptedModel.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.runtime.domain.AgentSpec;
import dev.berth.runtime.domain.Event;
import dev.berth.runtime.domain.EventType;
import dev.berth.runtime.domain.InputPolicy;
import dev.berth.runtime.run.Run;
import dev.berth.runtime.run.RunStatus;
import dev.berth.runtime.run.team.SubagentCall;
import dev.berth.runtime.testkit.ScriptedModel;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Whole engines (several share one in-memory database, as processes share PostgreSQL): claims
 * through notifications, takeover after a lease expired on the fake clock, cancellation requested
 * through the store, and a team whose last child wakes its parent.
 */
class RunEngineTest {
    private EngineHarness h;

    @BeforeEach
    void setUp() {
        h = new EngineHarness();
        h.define("assistant", EngineHarness.agent());
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    @Test
    void anotherEngineTakesOverAnExpiredLeaseAndResumesFromTheLastCommittedStep() {
        // Given engine A committed a tool step and is stuck in its next model call
        UUID session = h.session("assistant", InputPolicy.ENQUEUE);
        h.model.callTools(call("c1", "lookup", "{\"key\":\"k1\"}"));
        ScriptedModel.Held stuck = h.model.hold();
        h.model.answer("k1 is known.");
        RunEngine a = h.engine("engine-a");
        Run run = h.submit(session, "What is k1?");
        await().atMost(Duration.ofSeconds(10)).until(stuck::called);
        RunEngine b = h.engine("engine-b");

        // When A's lease expires and engine B looks for work
        h.clock.advance(EngineHarness.LEASE_TTL.plusSeconds(1));
        b.claim();

        // Then B finishes the run from the committed tool result: the tool ran once, the model was asked twice
        Run done = h.awaitStatus(run.id(), RunStatus.COMPLETED);
        assertThat(done.output()).isEqualTo("k1 is known.");
        assertThat(h.db.toolStarts()).hasSize(1);
        assertThat(h.types(session)).containsExactly(EventType.USER_MESSAGE, EventType.ASSISTANT_MESSAGE,
                EventType.TOOL_RESULT, EventType.ASSISTANT_MESSAGE);

        // and A's late answer is refused: nothing more is written, and A lets the run go
        stuck.answer("stale answer");
        await().atMost(Duration.ofSeconds(10)).until(() -> a.activeRuns() == 0);
        assertThat(h.types(session)).hasSize(4);
        assertThat(h.model.problems()).isEmpty();
    }

    @Test
    void aCancellationRequestedThroughTheStoreStopsTheRunningStep() {
        // Given a run in a model call on engine A
        UUID session = h.session("assistant", InputPolicy.ENQUEUE);
        ScriptedModel.Held held = h.model.hold();
        h.engine("engine-a");
        Run run = h.submit(session, "Hi");
        await().atMost(Duration.ofSeconds(10)).until(held::called);

        // When a client cancels it (on any process: the store asks the owner to stop)
        Run flagged = h.runs.requestCancel(EngineHarness.TENANT, run.id()).await().indefinitely().orElseThrow();

        // Then the owner stops at once, mid-call, and settles the run as cancelled
        assertThat(flagged.status()).isEqualTo(RunStatus.RUNNING);
        h.awaitStatus(run.id(), RunStatus.CANCELLED);
        held.answer("too late");
        assertThat(h.types(session)).containsExactly(EventType.USER_MESSAGE, EventType.RUN_CANCELLED);
        assertThat(h.model.problems()).isEmpty();
    }

    @Test
    void aParentWaitsForItsSubAgentsAndTheLastOneWakesItOnce() {
        // Given a supervisor that calls a helper agent twice in one turn
        AgentSpec base = EngineHarness.agent();
        h.define("helper", base);
        h.define("boss", new AgentSpec(base.instructions(), base.model(), List.of(), base.limits(), base.inputPolicy(),
                List.of(), List.of(), List.of("helper"), List.of(), null));
        UUID session = h.session("boss", InputPolicy.ENQUEUE);
        h.model.callTools(call("c1", "agent__helper", "{\"input\":\"task one\"}"),
                        call("c2", "agent__helper", "{\"input\":\"task two\"}"))
                .answer("helped").answer("helped").answer("Both are done.");
        h.engine("engine-a");

        // When its run executes
        Run run = h.submit(session, "Do both tasks");

        // Then the children ran in sessions of their own, and the parent resumed once, after both
        Run done = h.awaitStatus(run.id(), RunStatus.COMPLETED);
        assertThat(done.output()).isEqualTo("Both are done.");
        assertThat(done.modelCalls()).isEqualTo(2);
        // claimed twice: once for its turn, once when the last child woke it (an early wake-up would make three)
        assertThat(h.db.epoch(run.id())).isEqualTo(2);
        List<SubagentCall> calls = h.db.calls(run.id());
        assertThat(calls).hasSize(2).allSatisfy(child -> {
            assertThat(child.status()).isEqualTo(RunStatus.COMPLETED);
            assertThat(child.output()).isEqualTo("helped");
            assertThat(child.childSessionId()).isNotEqualTo(session);
        });
        assertThat(h.types(session)).containsExactly(EventType.USER_MESSAGE, EventType.ASSISTANT_MESSAGE,
                EventType.SUBAGENT_STARTED, EventType.SUBAGENT_STARTED, EventType.SUBAGENT_FINISHED,
                EventType.SUBAGENT_FINISHED, EventType.TOOL_RESULT, EventType.TOOL_RESULT,
                EventType.ASSISTANT_MESSAGE);
        List<Event> results = h.db.events(session).stream()
                .filter(e -> EventType.TOOL_RESULT.equals(e.type())).toList();
        assertThat(results).allSatisfy(result -> assertThat(result.data().path("output").asText()).isEqualTo("helped"));
        assertThat(h.model.problems()).isEmpty();
    }

    @Test
    void cancellingAWaitingParentStopsItsWholeTree() {
        // Given a supervisor waiting for a helper that is in a model call
        AgentSpec base = EngineHarness.agent();
        h.define("helper", base);
        h.define("boss", new AgentSpec(base.instructions(), base.model(), List.of(), base.limits(), base.inputPolicy(),
                List.of(), List.of(), List.of("helper"), List.of(), null));
        UUID session = h.session("boss", InputPolicy.ENQUEUE);
        h.model.callTools(call("c1", "agent__helper", "{\"input\":\"a long task\"}"));
        ScriptedModel.Held child = h.model.hold();
        h.engine("engine-a");
        Run run = h.submit(session, "Delegate it");
        await().atMost(Duration.ofSeconds(10)).until(child::called);
        assertThat(h.run(run.id()).status()).isEqualTo(RunStatus.WAITING);

        // When a client cancels the parent
        Run cancelled = h.runs.requestCancel(EngineHarness.TENANT, run.id()).await().indefinitely().orElseThrow();

        // Then the parent ends at once and its running child stops at its step boundary
        assertThat(cancelled.status()).isEqualTo(RunStatus.CANCELLED);
        UUID childRun = h.db.calls(run.id()).getFirst().childRunId();
        h.awaitStatus(childRun, RunStatus.CANCELLED);
        child.answer("too late");
        assertThat(h.types(h.db.calls(run.id()).getFirst().childSessionId()))
                .containsExactly(EventType.USER_MESSAGE, EventType.RUN_CANCELLED);
        assertThat(h.model.problems()).isEmpty();
    }
}
