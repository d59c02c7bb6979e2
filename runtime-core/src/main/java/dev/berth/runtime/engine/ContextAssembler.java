package dev.berth.runtime.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.model.ChatMessage;
import dev.berth.model.ChatRequest;
import dev.berth.model.ToolCall;
import dev.berth.model.ToolDefinition;
import dev.berth.runtime.domain.ClientTool;
import dev.berth.runtime.domain.AgentDefinition;
import dev.berth.runtime.domain.Event;
import dev.berth.runtime.domain.EventType;
import dev.berth.runtime.teams.TeamTools;
import dev.berth.runtime.tools.ToolRegistry;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns an agent and a window of a session's events into one stateless model call. The
 * window is bounded by the caller; a window that begins inside a tool exchange is trimmed
 * so that tool results never appear without the call that asked for them.
 *
 * <p>After a handoff, the new agent sees a filtered history: before the newest {@code handoff}
 * event only the user's messages and the assistant's texts are kept; the previous agents' tool
 * calls and results are dropped (their tools may not even exist for the new agent).
 */
final class ContextAssembler {
    private final ToolRegistry tools;

    ContextAssembler(ToolRegistry tools) {
        this.tools = tools;
    }

    ChatRequest assemble(AgentDefinition agent, List<Event> window) {
        List<ChatMessage> messages = new ArrayList<>();
        messages.add(new ChatMessage.System(agent.spec().instructions()));
        boolean started = false;
        int handoff = lastHandoff(window);
        for (int i = 0; i < window.size(); i++) {
            Event event = window.get(i);
            ChatMessage message = i < handoff ? textOnly(toMessage(event)) : toMessage(event);
            if (message == null) {
                continue;
            }
            // Start the conversation at a user or plain assistant message, never at a tool result.
            if (!started && message instanceof ChatMessage.Tool) {
                continue;
            }
            started = true;
            messages.add(message);
        }
        return new ChatRequest(agent.spec().model(), messages, toolDefinitions(agent),
                null, null, agent.spec().limits().maxCompletionTokens(), null, null);
    }

    /**
     * The server-side tools Berth executes, the team's tools (sub-agents, handoffs), then the
     * client-side tools the client executes.
     */
    private List<ToolDefinition> toolDefinitions(AgentDefinition agent) {
        List<ToolDefinition> definitions = new ArrayList<>(tools.definitions(agent.spec().tools()));
        definitions.addAll(TeamTools.definitions(agent.spec()));
        for (ClientTool tool : agent.spec().clientTools()) {
            // Client schemas are sent as given, so not as strict: Berth cannot vouch for them.
            definitions.add(new ToolDefinition(tool.name(), tool.description(), tool.parameters(), false));
        }
        return definitions;
    }

    private static int lastHandoff(List<Event> window) {
        for (int i = window.size() - 1; i >= 0; i--) {
            if (EventType.HANDOFF.equals(window.get(i).type())) {
                return i;
            }
        }
        return -1;
    }

    /** A message from before a handoff: tool exchanges dropped, texts kept. */
    private static ChatMessage textOnly(ChatMessage message) {
        return switch (message) {
            case ChatMessage.Tool ignored -> null;
            case ChatMessage.Assistant assistant when !assistant.toolCalls().isEmpty() ->
                    assistant.content() == null || assistant.content().isBlank() ? null
                            : new ChatMessage.Assistant(assistant.content(), List.of());
            case null -> null;
            default -> message;
        };
    }

    private static ChatMessage toMessage(Event event) {
        JsonNode data = event.data();
        return switch (event.type()) {
            case EventType.USER_MESSAGE -> new ChatMessage.User(data.path("text").asText());
            case EventType.ASSISTANT_MESSAGE -> {
                List<ToolCall> calls = EventPayloads.toolCalls(data);
                String text = EventPayloads.textOrNull(data, "text");
                yield text == null && calls.isEmpty() ? null : new ChatMessage.Assistant(text, calls);
            }
            case EventType.TOOL_RESULT -> new ChatMessage.Tool(data.path("callId").asText(),
                    data.path("output").asText());
            default -> null;
        };
    }
}
