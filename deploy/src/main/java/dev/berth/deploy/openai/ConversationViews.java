package dev.berth.deploy.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.runtime.domain.Event;
import dev.berth.runtime.domain.EventType;
import dev.berth.runtime.domain.Session;
import java.util.ArrayList;
import java.util.List;

/**
 * A session as OpenAI's Conversation object and its events as conversation items (ADR 0039): a
 * {@code user.message} is a user message with an {@code input_text} part; an {@code assistant.message}
 * its function calls, then its text as an assistant message with an {@code output_text} part; a
 * {@code tool.result} a {@code function_call_output}. Ids come from {@link OpenAiIds}.
 */
public final class ConversationViews {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Where an assistant's text stands among the items of its event: after its calls. */
    static final int TEXT_POSITION = Integer.MAX_VALUE;

    private ConversationViews() {
    }

    public static ObjectNode conversation(Session session) {
        ObjectNode conversation = NODES.objectNode()
                .put("id", OpenAiIds.conversation(session.id()))
                .put("object", "conversation")
                .put("created_at", session.createdAt().getEpochSecond());
        ObjectNode metadata = conversation.putObject("metadata");
        session.metadata().forEach((key, value) -> metadata.put(key, String.valueOf(value)));
        return conversation;
    }

    public static ObjectNode deleted(String id) {
        return NODES.objectNode().put("id", id).put("object", "conversation.deleted").put("deleted", true);
    }

    /** One item of an event and its place among the event's items (for paging). */
    record Placed(long seq, int position, ObjectNode item) {
    }

    /** The items of an event, in order. */
    static List<Placed> items(Event event) {
        List<Placed> items = new ArrayList<>();
        JsonNode data = event.data();
        switch (event.type()) {
            case EventType.USER_MESSAGE -> items.add(new Placed(event.seq(), TEXT_POSITION,
                    message(event, "user", NODES.objectNode().put("type", "input_text").put("text", data.path("text").asText()))));
            case EventType.ASSISTANT_MESSAGE -> {
                JsonNode calls = data.path("toolCalls");
                for (int i = 0; i < calls.size(); i++) {
                    JsonNode call = calls.get(i);
                    JsonNode arguments = call.path("arguments");
                    items.add(new Placed(event.seq(), i, NODES.objectNode()
                            .put("type", "function_call")
                            .put("id", OpenAiIds.functionCall(OpenAiIds.itemOwner(event), event.seq(), i))
                            .put("call_id", call.path("id").asText())
                            .put("name", call.path("name").asText())
                            .put("arguments", arguments.isTextual() ? arguments.asText() : arguments.toString())
                            .put("status", "completed")));
                }
                String text = data.path("text").asText("");
                if (!text.isEmpty()) {
                    ObjectNode part = NODES.objectNode().put("type", "output_text").put("text", text);
                    part.putArray("annotations");
                    part.putArray("logprobs");
                    items.add(new Placed(event.seq(), TEXT_POSITION, message(event, "assistant", part)));
                }
            }
            case EventType.TOOL_RESULT -> items.add(new Placed(event.seq(), 0, NODES.objectNode()
                    .put("type", "function_call_output")
                    .put("id", OpenAiIds.functionCallOutput(OpenAiIds.itemOwner(event), event.seq()))
                    .put("call_id", data.path("callId").asText())
                    .put("output", data.path("output").asText())
                    .put("status", "completed")));
            default -> {
                // not an item
            }
        }
        return items;
    }

    /** The position an item id names within its event. */
    static int position(OpenAiIds.ItemId id) {
        return "fc".equals(id.kind()) ? id.index() : "fco".equals(id.kind()) ? 0 : TEXT_POSITION;
    }

    private static ObjectNode message(Event event, String role, ObjectNode part) {
        ObjectNode message = NODES.objectNode()
                .put("type", "message")
                .put("id", OpenAiIds.message(OpenAiIds.itemOwner(event), event.seq()))
                .put("status", "completed")
                .put("role", role);
        message.putArray("content").add(part);
        return message;
    }
}
