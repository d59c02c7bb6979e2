package dev.berth.deploy.openai;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.runtime.domain.Event;
import dev.berth.runtime.domain.EventType;
import dev.berth.runtime.error.ValidationException;
import dev.berth.runtime.run.Run;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /responses/{id}/input_items}: the items the response was given, in OpenAI's list shape
 * ({@code data}, {@code first_id}, {@code last_id}, {@code has_more}), paged with {@code after} (an item
 * id), {@code limit} (1 to 100, default 20) and {@code order} ({@code desc} by default, as OpenAI's).
 * The items are the run's input events: its user message ({@code msg_<run>_<seq>}, an {@code input_text}
 * part) and the results clients sent for its function calls ({@code function_call_output},
 * {@code fco_<run>_<seq>}).
 */
public final class ResponseInputItemsPage {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 100;

    private ResponseInputItemsPage() {
    }

    /** The page, from the session's events from the run's input on (other runs' events are skipped). */
    public static ObjectNode page(Run run, List<Event> events, String after, Integer limit, String order) {
        int most = limit == null ? DEFAULT_LIMIT : limit;
        if (most < 1 || most > MAX_LIMIT) {
            throw ValidationException.field("limit", "must be between 1 and " + MAX_LIMIT);
        }
        String direction = order == null ? "desc" : order;
        if (!direction.equals("asc") && !direction.equals("desc")) {
            throw ValidationException.field("order", "must be asc or desc");
        }
        List<ObjectNode> items = items(run, events);
        if (direction.equals("desc")) {
            items = items.reversed();
        }
        int from = 0;
        if (after != null) {
            from = -1;
            for (int i = 0; i < items.size(); i++) {
                if (items.get(i).path("id").asText().equals(after)) {
                    from = i + 1;
                }
            }
            if (from < 0) {
                throw ValidationException.field("after", "is not an input item of this response");
            }
        }
        List<ObjectNode> page = items.subList(from, Math.min(items.size(), from + most));
        return OpenAiLists.page(page, from + page.size() < items.size());
    }

    /** The run's input items, oldest first. */
    private static List<ObjectNode> items(Run run, List<Event> events) {
        List<ObjectNode> items = new ArrayList<>();
        for (Event event : events) {
            if (!run.id().equals(event.runId())) {
                continue;
            }
            if (EventType.USER_MESSAGE.equals(event.type())) {
                ObjectNode item = NODES.objectNode()
                        .put("type", "message")
                        .put("id", OpenAiIds.message(run.id(), event.seq()))
                        .put("role", "user")
                        .put("status", "completed");
                item.putArray("content").addObject().put("type", "input_text").put("text", event.data().path("text").asText());
                items.add(item);
            } else if (EventType.TOOL_RESULT.equals(event.type()) && "client".equals(event.data().path("source").asText())) {
                items.add(NODES.objectNode()
                        .put("type", "function_call_output")
                        .put("id", "fco_" + OpenAiIds.message(run.id(), event.seq()).substring("msg_".length()))
                        .put("call_id", event.data().path("callId").asText())
                        .put("output", event.data().path("output").asText())
                        .put("status", "completed"));
            }
        }
        return items;
    }
}
