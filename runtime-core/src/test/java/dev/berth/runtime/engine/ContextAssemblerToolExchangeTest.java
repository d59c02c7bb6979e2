package dev.berth.runtime.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.model.ChatMessage;
import dev.berth.runtime.domain.AgentDefinition;
import dev.berth.runtime.domain.AgentSpec;
import dev.berth.runtime.domain.Event;
import dev.berth.runtime.domain.EventType;
import dev.berth.runtime.domain.MemoryPolicy;
import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.internal.DocumentJson;
import dev.berth.runtime.tools.ToolRegistry;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A run's tool calls and their results are one unit that no later input splits (ADR 0018). */
class ContextAssemblerToolExchangeTest {
    private static final UUID SESSION = UUID.randomUUID();
    private static final UUID FIRST = UUID.randomUUID();
    private static final UUID SECOND = UUID.randomUUID();
    private final ContextAssembler assembler = new ContextAssembler(new ToolRegistry(List.of()));

    @Test
    void inputQueuedDuringAToolStepComesAfterTheRunThatWasWorking() {
        // Given input for the second run, written while the first run was executing its tool call
        List<Event> window = List.of(user(1, FIRST, "weather?"), toolCall(2, FIRST, "c1"),
                user(3, SECOND, "and tomorrow?"), toolResult(4, FIRST, "c1", "sunny"), assistant(5, FIRST, "Sunny."));

        // When the second run's context is assembled
        List<ChatMessage> messages = assembler.assemble(agent(4_000), new StepContext(null, window, List.of(), List.of()))
                .request().messages();

        // Then the first run's exchange is whole and the queued input comes after its answer
        assertThat(messages).extracting(m -> m.getClass().getSimpleName())
                .containsExactly("System", "User", "Assistant", "Tool", "Assistant", "User");
        assertThat(((ChatMessage.Tool) messages.get(3)).content()).isEqualTo("sunny");
        assertThat(((ChatMessage.User) messages.get(5)).content()).isEqualTo("and tomorrow?");
    }

    @Test
    void aCallTheLogHoldsNoResultForIsAnsweredInTheContext() {
        // Given a run that ended with a call unanswered (a log written before such calls got a result event)
        List<Event> window = List.of(user(1, FIRST, "weather?"), toolCall(2, FIRST, "c1"), user(3, SECOND, "hello?"));

        // When the next run's context is assembled
        List<ChatMessage> messages = assembler.assemble(agent(4_000), new StepContext(null, window, List.of(), List.of()))
                .request().messages();

        // Then the call has a result saying it was never answered, before the next input
        assertThat(messages).extracting(m -> m.getClass().getSimpleName())
                .containsExactly("System", "User", "Assistant", "Tool", "User");
        ChatMessage.Tool missing = (ChatMessage.Tool) messages.get(3);
        assertThat(missing.toolCallId()).isEqualTo("c1");
        assertThat(missing.content()).isEqualTo(ContextAssembler.NO_RESULT);
    }

    @Test
    void compactionNeverLeavesAnUnfoldedEventBelowTheSummary() {
        // Given a first run whose exchange ends after input queued for the second run, then the second run's answer
        List<Event> window = List.of(user(1, FIRST, "weather? ".repeat(50)), toolCall(2, FIRST, "c1"),
                user(3, SECOND, "and tomorrow?"), toolResult(4, FIRST, "c1", "sunny ".repeat(100)),
                assistant(5, FIRST, "Sunny. ".repeat(50)), assistant(6, SECOND, "Rain. ".repeat(50)));

        // When the second run compacts, keeping only the newest exchange
        List<Event> fold = assembler.toFold(agent(4_000), new StepContext(null, window, List.of(), List.of()), 0);

        // Then the fold is a prefix of the log by sequence: the queued input is folded with the exchange around it
        assertThat(fold).extracting(Event::seq).containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    private static AgentDefinition agent(int budget) {
        AgentSpec spec = new AgentSpec("Be brief.", "gpt-4o", List.of(), null, null, List.of(), List.of(), List.of(),
                List.of(), new MemoryPolicy(budget, 0, null, null, null, null));
        return new AgentDefinition(new TenantId(UUID.randomUUID()), "a", 1, spec, Instant.now());
    }

    private static Event user(long seq, UUID run, String text) {
        return new Event(SESSION, seq, run, EventType.USER_MESSAGE, DocumentJson.object().put("text", text), Instant.now());
    }

    private static Event assistant(long seq, UUID run, String text) {
        return new Event(SESSION, seq, run, EventType.ASSISTANT_MESSAGE, DocumentJson.object().put("text", text), Instant.now());
    }

    private static Event toolCall(long seq, UUID run, String callId) {
        var data = DocumentJson.object();
        data.putNull("text");
        data.putArray("toolCalls").addObject().put("id", callId).put("name", "lookup").put("arguments", "{}");
        return new Event(SESSION, seq, run, EventType.ASSISTANT_MESSAGE, data, Instant.now());
    }

    private static Event toolResult(long seq, UUID run, String callId, String output) {
        return new Event(SESSION, seq, run, EventType.TOOL_RESULT,
                DocumentJson.object().put("callId", callId).put("output", output), Instant.now());
    }
}
