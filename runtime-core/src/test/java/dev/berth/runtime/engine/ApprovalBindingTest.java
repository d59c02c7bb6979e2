package dev.berth.runtime.engine;

import static dev.berth.runtime.testkit.ScriptedModel.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.berth.model.ToolCall;
import dev.berth.runtime.domain.AgentSpec;
import dev.berth.runtime.domain.Event;
import dev.berth.runtime.domain.EventType;
import dev.berth.runtime.domain.InputPolicy;
import dev.berth.runtime.error.ConflictException;
import dev.berth.runtime.error.ValidationException;
import dev.berth.runtime.run.ActionAnswer;
import dev.berth.runtime.run.ActionKind;
import dev.berth.runtime.run.PendingAction;
import dev.berth.runtime.run.Run;
import dev.berth.runtime.run.RunStatus;
import dev.berth.runtime.run.paused.PausedRunService;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An approval authorises one call (ADR 0033): that call id with that tool and those arguments,
 * once, and only if the agent's policy still allows the tool when it is about to run.
 */
class ApprovalBindingTest {
    private static final String ARGS = "{\"key\":\"vault\"}";
    private EngineHarness h;
    private PausedRunService answers;

    @BeforeEach
    void setUp() {
        h = new EngineHarness();
        answers = new PausedRunService(h.runs, h.config("api"));
        h.define("guarded", guarded(List.of("lookup", "broken")));
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    @Test
    void anApprovedCallTheAgentsPolicyNoLongerAllowsIsNotRunAndTheRunGetsAToolError() {
        // Given a run paused for the approval of a lookup, which a human approves
        UUID session = h.session("guarded", InputPolicy.ENQUEUE);
        Run run = approvedLookup(session, "I could not look it up.");

        // When a developer takes the tool away from the agent before a worker resumes the run
        h.define("guarded", guarded(List.of("broken")));
        execute();

        // Then the call was not run: its result is an error saying why, which the model read, and the run went on
        Event result = only(session, EventType.TOOL_RESULT);
        assertThat(result.data().get("error").asBoolean()).isTrue();
        assertThat(result.data().get("output").asText()).contains("approved but not executed")
                .contains("no longer allows").doesNotContain("value of");
        assertThat(h.run(run.id()).status()).isEqualTo(RunStatus.COMPLETED);
    }

    @Test
    void anApprovedCallTheAgentStillAllowsRuns() {
        UUID session = h.session("guarded", InputPolicy.ENQUEUE);
        approvedLookup(session, "Found it.");

        execute();

        assertThat(only(session, EventType.TOOL_RESULT).data().get("output").asText()).isEqualTo("value of vault");
    }

    @Test
    void anApprovalIsSingleUseAndAnswersOnlyTheCallsItsRunWaitsForWritingNothingOtherwise() {
        // Given two runs paused for approvals, one of them approved already
        UUID session = h.session("guarded", InputPolicy.ENQUEUE);
        UUID other = h.session("guarded", InputPolicy.ENQUEUE);
        h.model.callTools(call("c1", "lookup", ARGS));
        Run first = paused(session);
        h.model.callTools(call("c9", "lookup", ARGS));
        Run second = paused(other);
        answers.answer(EngineHarness.TENANT, first.id(), List.of(ActionAnswer.decision("c1", true, null)))
                .await().indefinitely();
        int before = h.db.events(session).size() + h.db.events(other).size();

        // When the same approval is given again, and the other run is answered with the first run's call id
        Throwable twice = catchThrowable(() -> answers.answer(EngineHarness.TENANT, first.id(),
                List.of(ActionAnswer.decision("c1", true, null))).await().indefinitely());
        Throwable foreign = catchThrowable(() -> answers.answer(EngineHarness.TENANT, second.id(),
                List.of(ActionAnswer.decision("c1", true, null))).await().indefinitely());

        // Then both are refused, and neither wrote an event or moved a run
        assertThat(twice).isInstanceOf(ConflictException.class);
        assertThat(foreign).isInstanceOf(ValidationException.class);
        assertThat(h.db.events(session).size() + h.db.events(other).size()).isEqualTo(before);
        assertThat(h.run(second.id()).status()).isEqualTo(RunStatus.REQUIRES_ACTION);
    }

    @Test
    void aDecisionTakenOnOtherArgumentsThanTheCallsIsRefusedAndWritesNothing() {
        // Given a run paused for the approval of a lookup, whose arguments the approver saw as a digest
        UUID session = h.session("guarded", InputPolicy.ENQUEUE);
        h.model.callTools(call("c1", "lookup", ARGS));
        Run run = paused(session);
        String seen = PendingAction.unanswered("c1", ActionKind.APPROVAL, "lookup", ARGS).argumentsDigest();
        String other = PendingAction.unanswered("c1", ActionKind.APPROVAL, "lookup", "{\"key\":\"x\"}").argumentsDigest();
        int before = h.db.events(session).size();

        // When the approval names the digest of other arguments
        Throwable stale = catchThrowable(() -> answers.answer(EngineHarness.TENANT, run.id(),
                List.of(new ActionAnswer("c1", null, true, null, other))).await().indefinitely());

        // Then it is refused as stale and nothing is written; with the digest of the call's arguments it applies
        assertThat(stale).isInstanceOfSatisfying(ConflictException.class,
                conflict -> assertThat(conflict.problemType()).isEqualTo("approval-stale"));
        assertThat(h.db.events(session)).hasSize(before);
        assertThat(h.run(run.id()).status()).isEqualTo(RunStatus.REQUIRES_ACTION);
        Run approved = answers.answer(EngineHarness.TENANT, run.id(),
                List.of(new ActionAnswer("c1", null, true, null, seen))).await().indefinitely();
        assertThat(approved.status()).isEqualTo(RunStatus.QUEUED);
        assertThat(h.db.events(session).stream().filter(e -> EventType.APPROVAL_DECISION.equals(e.type())).toList())
                .singleElement().satisfies(e -> assertThat(e.data().get("argumentsDigest").asText()).isEqualTo(seen));
    }

    @Test
    void anApprovalAuthorisesOnlyTheToolAndArgumentsItWasGivenFor() {
        AgentSpec spec = guarded(List.of("lookup"));
        PendingAction approved = new PendingAction("c1", ActionKind.APPROVAL, "lookup", ARGS,
                ActionAnswer.decision("c1", true, null));

        // When the call to run has other arguments than the approved one, or the same
        ToolTurn changed = plan(new ToolCall("c1", "lookup", "{\"key\":\"other\"}"), spec, approved);
        ToolTurn same = plan(new ToolCall("c1", "lookup", ARGS), spec, approved);

        // Then only the exact call runs; the other is refused with an error result, not run
        assertThat(changed.runNow()).isEmpty();
        assertThat(changed.pendingActions()).isEmpty();
        assertThat(changed.refused()).singleElement().satisfies(outcome -> {
            assertThat(outcome.error()).isTrue();
            assertThat(outcome.output()).contains("other arguments");
        });
        assertThat(same.runNow()).extracting(ToolCall::id).containsExactly("c1");
        assertThat(same.refused()).isEmpty();
    }

    private static ToolTurn plan(ToolCall call, AgentSpec spec, PendingAction decision) {
        return ToolTurn.plan(List.of(call), spec, name -> false, () -> Uni.createFrom().item(List.of(decision)))
                .await().indefinitely();
    }

    /** A run paused for the approval of a lookup (call c1), approved; the model then answers {@code answer}. */
    private Run approvedLookup(UUID session, String answer) {
        h.model.callTools(call("c1", "lookup", ARGS)).answer(answer);
        Run run = paused(session);
        answers.answer(EngineHarness.TENANT, run.id(), List.of(ActionAnswer.decision("c1", true, null)))
                .await().indefinitely();
        return run;
    }

    private Run paused(UUID session) {
        Run run = h.submit(session, "open the vault");
        execute();
        assertThat(h.run(run.id()).status()).isEqualTo(RunStatus.REQUIRES_ACTION);
        return run;
    }

    private void execute() {
        h.execution(h.claim("engine")).execute().await().atMost(Duration.ofSeconds(10));
    }

    private Event only(UUID session, String type) {
        List<Event> found = h.db.events(session).stream().filter(e -> type.equals(e.type())).toList();
        assertThat(found).hasSize(1);
        return found.getFirst();
    }

    private static AgentSpec guarded(List<String> tools) {
        AgentSpec base = EngineHarness.agent();
        return new AgentSpec(base.instructions(), base.model(), tools, base.limits(), base.inputPolicy(), List.of(),
                List.of("lookup"), List.of(), List.of(), null);
    }
}
