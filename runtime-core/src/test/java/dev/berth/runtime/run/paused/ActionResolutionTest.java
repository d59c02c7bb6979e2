package dev.berth.runtime.run.paused;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.runtime.domain.EventType;
import dev.berth.runtime.domain.NewEvent;
import dev.berth.runtime.error.ConflictException;
import dev.berth.runtime.error.ValidationException;
import dev.berth.runtime.run.ActionAnswer;
import dev.berth.runtime.run.ActionKind;
import dev.berth.runtime.run.AnswerDecision;
import dev.berth.runtime.run.PendingAction;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ActionResolutionTest {
    private static final UUID RUN = UUID.randomUUID();
    private static final PendingAction LOCATION = PendingAction.unanswered("c1", ActionKind.CLIENT_TOOL, "get_location", "{}");
    private static final PendingAction DELETE = PendingAction.unanswered("c2", ActionKind.APPROVAL, "delete", "{}");

    @Test
    void theRunResumesOnlyWhenTheLastOpenActionIsAnswered() {
        AnswerDecision partial = ActionResolution.resolve(RUN, List.of(LOCATION, DELETE),
                List.of(ActionAnswer.output("c1", "Oslo")), 100);

        assertThat(partial.resume()).isFalse();
        assertThat(partial.settled()).containsExactly("c1");
        assertThat(partial.events()).extracting(NewEvent::type).containsExactly(EventType.TOOL_RESULT);

        PendingAction answered = new PendingAction("c1", ActionKind.CLIENT_TOOL, "get_location", "{}",
                ActionAnswer.output("c1", "Oslo"));
        AnswerDecision rest = ActionResolution.resolve(RUN, List.of(answered, DELETE),
                List.of(ActionAnswer.decision("c2", true, null)), 100);

        assertThat(rest.resume()).isTrue();
        // An approved call stays pending: the worker executes it.
        assertThat(rest.settled()).isEmpty();
        assertThat(rest.events()).extracting(NewEvent::type)
                .containsExactly(EventType.APPROVAL_DECISION, EventType.RUN_RESUMED);
    }

    @Test
    void aDenialBecomesAToolResultThatSaysSoWithTheReason() {
        AnswerDecision denied = ActionResolution.resolve(RUN, List.of(DELETE),
                List.of(ActionAnswer.decision("c2", false, "too risky")), 100);

        assertThat(denied.settled()).containsExactly("c2");
        NewEvent result = denied.events().get(1);
        assertThat(result.type()).isEqualTo(EventType.TOOL_RESULT);
        assertThat(result.data().get("output").asText()).contains("denied").contains("too risky");
        assertThat(result.data().get("denied").asBoolean()).isTrue();
    }

    @Test
    void answersThatDoNotFitAreRefused() {
        assertThatThrownBy(() -> ActionResolution.resolve(RUN, List.of(LOCATION),
                List.of(ActionAnswer.output("nope", "x")), 100)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> ActionResolution.resolve(RUN, List.of(LOCATION),
                List.of(ActionAnswer.decision("c1", true, null)), 100)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> ActionResolution.resolve(RUN, List.of(DELETE),
                List.of(ActionAnswer.output("c2", "x")), 100)).isInstanceOf(ValidationException.class);
        PendingAction answered = new PendingAction("c1", ActionKind.CLIENT_TOOL, "get_location", "{}",
                ActionAnswer.output("c1", "Oslo"));
        assertThatThrownBy(() -> ActionResolution.resolve(RUN, List.of(answered),
                List.of(ActionAnswer.output("c1", "Rome")), 100)).isInstanceOf(ConflictException.class);
    }

    @Test
    void aLongClientOutputIsTruncatedWithTheMarker() {
        AnswerDecision resolution = ActionResolution.resolve(RUN, List.of(LOCATION),
                List.of(ActionAnswer.output("c1", "x".repeat(50))), 10);

        assertThat(resolution.events().get(0).data().get("output").asText()).startsWith("xxxxxxxxxx\n[output truncated");
    }
}
