package dev.berth.deploy.openai;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** OpenAI's paged list shape, the one place it is built: {@code object}, {@code data}, ids, {@code has_more}. */
final class OpenAiLists {
    private OpenAiLists() {
    }

    /**
     * A page of items. {@code first_id} and {@code last_id} are required strings in OpenAI's schema (the
     * official SDKs refuse null): empty for an empty page.
     */
    static ObjectNode page(List<ObjectNode> items, boolean hasMore) {
        ObjectNode list = JsonNodeFactory.instance.objectNode().put("object", "list");
        ArrayNode data = list.putArray("data");
        items.forEach(data::add);
        list.put("first_id", items.isEmpty() ? "" : items.getFirst().path("id").asText());
        list.put("last_id", items.isEmpty() ? "" : items.getLast().path("id").asText());
        list.put("has_more", hasMore);
        return list;
    }
}
