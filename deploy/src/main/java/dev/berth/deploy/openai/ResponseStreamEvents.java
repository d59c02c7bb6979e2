package dev.berth.deploy.openai;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.runtime.domain.Event;
import dev.berth.runtime.domain.EventType;
import dev.berth.runtime.run.Run;
import java.util.ArrayList;
import java.util.List;

/**
 * OpenAI's streaming events of one response, computed from the run's committed events only (ADR 0038).
 * Fed the run's events in log order, it numbers what it emits 0, 1, 2...: the same events give the
 * same numbers on every process and in every stream, so {@code starting_after=N} resumes at N+1
 * without gaps or duplicates. Live previews ({@code assistant.delta}) are not used: they are not
 * committed, and a stream numbered with them could not be resumed elsewhere. Each committed answer
 * is sent as one {@code response.output_text.delta} (and each client call's arguments as one
 * {@code response.function_call_arguments.delta}); the items are those of the JSON response.
 *
 * <p>Not thread-safe: one instance per stream, fed in order.
 */
final class ResponseStreamEvents {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Run run;
    private final List<Event> runEvents = new ArrayList<>();
    /** A model answer with tool calls, and the run's events after it, until the calls' kinds are known. */
    private final List<Event> held = new ArrayList<>();
    private int sequence;
    private int outputIndex;

    ResponseStreamEvents(Run run) {
        this.run = run;
    }

    /** The number the next event gets: how many were emitted so far. */
    int next() {
        return sequence;
    }

    /** {@code response.created} and {@code response.in_progress}, with a snapshot that holds no output yet. */
    List<ObjectNode> start() {
        List<ObjectNode> out = new ArrayList<>();
        out.add(withResponse("response.created", snapshot()));
        out.add(withResponse("response.in_progress", snapshot()));
        return out;
    }

    /**
     * The events for one committed event of the session (none for other runs' events and inputs). The
     * items of a model answer that calls tools wait until the run shows what each call is (ADR 0037): a
     * client's call is a {@code function_call}, an approval an {@code mcp_approval_request}, a call Berth
     * runs an {@code mcp_call}; the run says so at its pause, or by going on to its next answer or its end.
     * Items are emitted in the order and shape {@link ResponseViews} gives them.
     */
    List<ObjectNode> event(Event event) {
        if (!run.id().equals(event.runId())) {
            return List.of();
        }
        runEvents.add(event);
        List<ObjectNode> out = new ArrayList<>();
        boolean answer = EventType.ASSISTANT_MESSAGE.equals(event.type());
        if (answer && !held.isEmpty()) {
            flush(out);
        }
        if (answer && event.data().path("toolCalls").isEmpty()) {
            items(List.of(event), out);
        } else if (answer || !held.isEmpty()) {
            held.add(event);
        } else {
            items(List.of(event), out);
        }
        if (EventType.RUN_REQUIRES_ACTION.equals(event.type())) {
            flush(out);
        }
        return out;
    }

    /** The held events' items, now that the run has shown what their calls are. */
    private void flush(List<ObjectNode> out) {
        items(held, out);
        held.clear();
    }

    private void items(List<Event> events, List<ObjectNode> out) {
        PendingActionItems calls = new PendingActionItems(run.id(), runEvents);
        for (Event event : events) {
            ArrayNode built = NODES.arrayNode();
            if (!EventType.ASSISTANT_MESSAGE.equals(event.type())) {
                calls.result(event, built);
                built.forEach(item -> otherItem(out, (ObjectNode) item));
                continue;
            }
            calls.calls(event, built);
            built.forEach(item -> {
                if ("function_call".equals(item.path("type").asText())) {
                    functionCall(out, (ObjectNode) item);
                } else {
                    otherItem(out, (ObjectNode) item);
                }
            });
            String text = event.data().path("text").asText("");
            if (!text.isEmpty()) {
                message(out, ResponseViews.messageItem(run.id(), event.seq(), text));
            }
        }
    }

    /**
     * The last event, for the settled run: {@code response.completed}, {@code response.incomplete} (paused
     * for a client's answer), or {@code response.failed} (failed, expired, and cancelled: OpenAI's stream has
     * no event of its own for a cancelled response; its {@code status} says {@code cancelled}).
     */
    List<ObjectNode> end(Run settled) {
        List<ObjectNode> out = new ArrayList<>();
        flush(out);
        ObjectNode response = ResponseViews.response(settled, runEvents, null);
        String type = switch (response.path("status").asText()) {
            case "completed" -> "response.completed";
            case "incomplete" -> "response.incomplete";
            default -> "response.failed";
        };
        out.add(withResponse(type, response));
        return out;
    }

    /** OpenAI's {@code error} event, for a stream that cannot go on (the database gone too long). */
    ObjectNode error(String code, String message) {
        ObjectNode error = numbered("error");
        error.put("code", code).put("message", message).putNull("param");
        return error;
    }

    private void functionCall(List<ObjectNode> out, ObjectNode done) {
        int index = outputIndex++;
        String id = done.path("id").asText();
        String arguments = done.path("arguments").asText();
        ObjectNode added = done.deepCopy().put("arguments", "").put("status", "in_progress");
        out.add(item("response.output_item.added", index, added));
        out.add(numbered("response.function_call_arguments.delta").put("item_id", id).put("output_index", index)
                .put("delta", arguments));
        out.add(numbered("response.function_call_arguments.done").put("item_id", id).put("name", done.path("name").asText())
                .put("output_index", index).put("arguments", arguments));
        out.add(item("response.output_item.done", index, done));
    }

    /** An item with no deltas of its own ({@code mcp_call}, {@code mcp_approval_request}): added, then done. */
    private void otherItem(List<ObjectNode> out, ObjectNode done) {
        int index = outputIndex++;
        out.add(item("response.output_item.added", index, done.deepCopy()));
        out.add(item("response.output_item.done", index, done));
    }

    private void message(List<ObjectNode> out, ObjectNode done) {
        int index = outputIndex++;
        String id = done.path("id").asText();
        ObjectNode part = (ObjectNode) done.path("content").get(0);
        String text = part.path("text").asText();
        ObjectNode added = done.deepCopy().put("status", "in_progress");
        added.putArray("content");
        out.add(item("response.output_item.added", index, added));
        ObjectNode emptyPart = part.deepCopy().put("text", "");
        out.add(contentEvent("response.content_part.added", id, index).set("part", emptyPart));
        out.add(contentEvent("response.output_text.delta", id, index).put("delta", text)
                .set("logprobs", NODES.arrayNode()));
        out.add(contentEvent("response.output_text.done", id, index).put("text", text)
                .set("logprobs", NODES.arrayNode()));
        out.add(contentEvent("response.content_part.done", id, index).set("part", part.deepCopy()));
        out.add(item("response.output_item.done", index, done));
    }

    private ObjectNode contentEvent(String type, String itemId, int index) {
        return numbered(type).put("item_id", itemId).put("output_index", index).put("content_index", 0);
    }

    private ObjectNode item(String type, int index, ObjectNode item) {
        ObjectNode event = numbered(type).put("output_index", index);
        event.set("item", item);
        return event;
    }

    private ObjectNode withResponse(String type, ObjectNode response) {
        ObjectNode event = numbered(type);
        event.set("response", response);
        return event;
    }

    private ObjectNode numbered(String type) {
        return NODES.objectNode().put("type", type).put("sequence_number", sequence++);
    }

    /**
     * The response as the stream begins: in progress, no output, no usage. Built from what never changes
     * (ids, agent, creation time), so it is the same whenever and wherever the stream is replayed.
     */
    private ObjectNode snapshot() {
        ObjectNode response = ResponseViews.response(run, List.of(), null);
        response.put("status", "in_progress");
        response.putNull("error");
        response.remove("usage");
        response.remove("completed_at");
        return response;
    }
}
