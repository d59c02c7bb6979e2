package dev.berth.runtime.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.model.ChatMessage;
import dev.berth.model.ChatRequest;
import dev.berth.runtime.domain.AgentDefinition;
import dev.berth.runtime.domain.AgentLimits;
import dev.berth.runtime.domain.AgentSpec;
import dev.berth.runtime.domain.Event;
import dev.berth.runtime.domain.EventType;
import dev.berth.runtime.domain.InputPolicy;
import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.internal.DocumentJson;
import dev.berth.runtime.tools.ToolRegistry;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ContextAssemblerHandoffTest {
    private static final UUID SESSION = UUID.randomUUID();
    private final ContextAssembler assembler = new ContextAssembler(new ToolRegistry(List.of()));

    @Test
    void afterAHandoffTheNewAgentSeesTextsButNotThePreviousAgentsToolTraffic() {
        // Given a history: input, a tool exchange and a handoff by triage, then input after the handoff
        ObjectNode toolCall = DocumentJson.object().put("text", "Let me check.");
        toolCall.putArray("toolCalls").addObject().put("id", "c1").put("name", "lookup").put("arguments", "{}");
        ObjectNode handoffCall = DocumentJson.object();
        handoffCall.putArray("toolCalls").addObject().put("id", "c2").put("name", "handoff__billing")
                .put("arguments", "{}");
        List<Event> window = List.of(
                event(1, EventType.USER_MESSAGE, DocumentJson.object().put("text", "my invoice is wrong")),
                event(2, EventType.ASSISTANT_MESSAGE, toolCall),
                event(3, EventType.TOOL_RESULT, DocumentJson.object().put("callId", "c1").put("output", "secret")),
                event(4, EventType.ASSISTANT_MESSAGE, handoffCall),
                event(5, EventType.TOOL_RESULT, DocumentJson.object().put("callId", "c2").put("output", "Transferred")),
                event(6, EventType.HANDOFF, DocumentJson.object().put("from", "triage").put("to", "billing")),
                event(7, EventType.USER_MESSAGE, DocumentJson.object().put("text", "hello?")));

        // When the context of the new agent is assembled
        ChatRequest request = assembler.assemble(agent("billing", List.of("triage")),
                new StepContext(null, window, List.of(), List.of())).request();

        // Then it keeps the user's messages and the assistant's text, and drops calls and results
        assertThat(request.messages()).hasSize(4);
        assertThat(request.messages().get(0)).isInstanceOf(ChatMessage.System.class);
        assertThat(request.messages().get(1)).isEqualTo(new ChatMessage.User("my invoice is wrong"));
        assertThat(request.messages().get(2)).isEqualTo(new ChatMessage.Assistant("Let me check.", List.of()));
        assertThat(request.messages().get(3)).isEqualTo(new ChatMessage.User("hello?"));
        // and it is offered its own team's tools
        assertThat(request.tools()).extracting(tool -> tool.name()).containsExactly("handoff__triage");
    }

    private static AgentDefinition agent(String name, List<String> handoffs) {
        return new AgentDefinition(new TenantId(UUID.randomUUID()), name, 1, new AgentSpec("You are " + name, "m",
                List.of(), AgentLimits.DEFAULT, InputPolicy.ENQUEUE, List.of(), List.of(), List.of(), handoffs, null),
                Instant.now());
    }

    private static Event event(long seq, String type, ObjectNode data) {
        return new Event(SESSION, seq, null, type, data, Instant.now());
    }
}
