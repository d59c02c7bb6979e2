package dev.berth.model.fake.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.model.ToolCall;
import dev.berth.model.fake.FakeReply;
import dev.berth.model.internal.ModelJson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** Builds Responses API answers (objects and stream events) in the provider's shapes. */
public final class Responses {
    private Responses() {
    }

    /**
     * The request as a chat-completions body, so the demo brain can answer it: input items become
     * messages, flat tools become nested ones.
     */
    public static ObjectNode asChat(JsonNode request) {
        ObjectNode chat = ModelJson.object();
        ArrayNode messages = chat.putArray("messages");
        JsonNode input = request.path("input");
        if (input.isTextual()) {
            messages.addObject().put("role", "user").put("content", input.asText());
        }
        for (JsonNode item : input) {
            String type = ModelJson.str(item, "type");
            if (type == null || "message".equals(type)) {
                messages.addObject().put("role", ModelJson.str(item, "role")).put("content",
                        DemoBrain.contentText(item.get("content")));
            } else if ("function_call".equals(type)) {
                ObjectNode m = messages.addObject().put("role", "assistant").putNull("content");
                ObjectNode call = m.putArray("tool_calls").addObject().put("id", ModelJson.str(item, "call_id"))
                        .put("type", "function");
                call.putObject("function").put("name", ModelJson.str(item, "name")).put("arguments", ModelJson.str(item, "arguments"));
            } else if ("function_call_output".equals(type)) {
                messages.addObject().put("role", "tool").put("tool_call_id", ModelJson.str(item, "call_id"))
                        .put("content", ModelJson.str(item, "output"));
            }
        }
        if (request.has("tool_choice")) {
            chat.set("tool_choice", request.get("tool_choice"));
        }
        ArrayNode tools = chat.putArray("tools");
        for (JsonNode t : request.path("tools")) {
            ObjectNode fn = tools.addObject().put("type", "function").putObject("function");
            fn.put("name", ModelJson.str(t, "name")).put("description", ModelJson.str(t, "description"));
            fn.set("parameters", t.path("parameters"));
        }
        return chat;
    }

    /** A full {@code response} object, status {@code completed}. */
    public static ObjectNode response(JsonNode request, String model, FakeReply reply) {
        ObjectNode r = skeleton(request, model, "completed");
        ArrayNode output = r.putArray("output");
        for (JsonNode item : outputItems(reply)) {
            output.add(item);
        }
        long in = ChatCompletions.promptTokens(request);
        long out = 8 + ChatCompletions.tokens(reply instanceof FakeReply.Text t ? t.content()
                : reply instanceof FakeReply.ToolCalls tc ? ChatCompletions.toolCalls(tc.calls()).toString() : "");
        ObjectNode usage = r.putObject("usage").put("input_tokens", in);
        usage.putObject("input_tokens_details").put("cached_tokens", 0).put("cache_write_tokens", 0);
        usage.put("output_tokens", out);
        usage.putObject("output_tokens_details").put("reasoning_tokens", 8);
        usage.put("total_tokens", in + out);
        return r;
    }

    private static ObjectNode skeleton(JsonNode request, String model, String status) {
        ObjectNode r = ModelJson.object().put("id", ChatCompletions.newId("resp_")).put("object", "response")
                .put("created_at", System.currentTimeMillis() / 1000).put("status", status);
        r.putNull("error");
        r.putNull("incomplete_details");
        r.set("instructions", request.path("instructions").isMissingNode() ? ModelJson.MAPPER.nullNode()
                : request.get("instructions"));
        r.set("max_output_tokens", request.has("max_output_tokens") ? request.get("max_output_tokens")
                : ModelJson.MAPPER.nullNode());
        r.put("model", model);
        r.putArray("output");
        r.put("parallel_tool_calls", request.path("parallel_tool_calls").asBoolean(true));
        r.putNull("previous_response_id");
        r.putObject("reasoning").set("effort", request.path("reasoning").has("effort")
                ? request.path("reasoning").get("effort") : ModelJson.MAPPER.nullNode());
        r.put("store", false);
        r.put("temperature", 1.0);
        r.set("text", request.has("text") ? request.get("text") : ModelJson.object().set("format",
                ModelJson.object().put("type", "text")));
        r.set("tool_choice", request.has("tool_choice") ? request.get("tool_choice") : ModelJson.MAPPER.valueToTree("auto"));
        r.set("tools", request.has("tools") ? request.get("tools") : ModelJson.array());
        r.put("top_p", 1.0);
        r.put("truncation", "disabled");
        r.putObject("metadata");
        return r;
    }

    /** A reasoning item first (with opaque encrypted content), then the message or function calls. */
    static List<ObjectNode> outputItems(FakeReply reply) {
        List<ObjectNode> items = new ArrayList<>();
        ObjectNode reasoning = ModelJson.object().put("id", ChatCompletions.newId("rs_")).put("type", "reasoning");
        reasoning.putArray("summary");
        reasoning.put("encrypted_content", Base64.getEncoder().encodeToString(
                ("fake-reasoning:" + ChatCompletions.newId("")).getBytes(StandardCharsets.UTF_8)));
        items.add(reasoning);
        if (reply instanceof FakeReply.Text t) {
            ObjectNode msg = ModelJson.object().put("id", ChatCompletions.newId("msg_")).put("type", "message")
                    .put("status", "completed").put("role", "assistant");
            ObjectNode part = msg.putArray("content").addObject().put("type", "output_text").put("text", t.content());
            part.putArray("annotations");
            part.putArray("logprobs");
            items.add(msg);
        } else if (reply instanceof FakeReply.ToolCalls tc) {
            for (ToolCall c : tc.calls()) {
                items.add(ModelJson.object().put("id", ChatCompletions.newId("fc_")).put("type", "function_call")
                        .put("status", "completed").put("arguments", c.arguments()).put("call_id", c.id())
                        .put("name", c.name()));
            }
        } else {
            throw new IllegalArgumentException("not a model reply: " + reply);
        }
        return items;
    }

    /** The stream events of the same answer, each with {@code type} and {@code sequence_number}. */
    public static List<String> events(JsonNode request, String model, FakeReply reply) {
        ObjectNode done = response(request, model, reply);
        ObjectNode inProgress = skeleton(request, model, "in_progress");
        inProgress.set("id", done.get("id"));
        Sequence seq = new Sequence();
        seq.add("response.created", ModelJson.object().set("response", inProgress));
        seq.add("response.in_progress", ModelJson.object().set("response", inProgress));
        int index = 0;
        for (JsonNode item : done.get("output")) {
            itemEvents(seq, index++, (ObjectNode) item);
        }
        seq.add("response.completed", ModelJson.object().set("response", done));
        return seq.events;
    }

    private static void itemEvents(Sequence seq, int index, ObjectNode item) {
        String id = item.get("id").asText();
        ObjectNode added = item.deepCopy();
        switch (item.get("type").asText()) {
            case "message" -> {
                added.put("status", "in_progress").putArray("content");
                seq.add("response.output_item.added", ModelJson.object().put("output_index", index).set("item", added));
                String text = item.at("/content/0/text").asText();
                ObjectNode emptyPart = ModelJson.object().put("type", "output_text").put("text", "");
                emptyPart.putArray("annotations");
                emptyPart.putArray("logprobs");
                seq.add("response.content_part.added", ModelJson.object().put("item_id", id).put("output_index", index)
                        .put("content_index", 0).set("part", emptyPart));
                for (String piece : ChatCompletions.pieces(text)) {
                    ObjectNode d = ModelJson.object().put("item_id", id).put("output_index", index).put("content_index", 0)
                            .put("delta", piece);
                    d.putArray("logprobs");
                    seq.add("response.output_text.delta", d);
                }
                ObjectNode textDone = ModelJson.object().put("item_id", id).put("output_index", index)
                        .put("content_index", 0).put("text", text);
                textDone.putArray("logprobs");
                seq.add("response.output_text.done", textDone);
                seq.add("response.content_part.done", ModelJson.object().put("item_id", id).put("output_index", index)
                        .put("content_index", 0).set("part", item.at("/content/0")));
            }
            case "function_call" -> {
                added.put("status", "in_progress").put("arguments", "");
                seq.add("response.output_item.added", ModelJson.object().put("output_index", index).set("item", added));
                String args = item.get("arguments").asText();
                for (String piece : ChatCompletions.fragments(args)) {
                    seq.add("response.function_call_arguments.delta", ModelJson.object().put("item_id", id)
                            .put("output_index", index).put("delta", piece));
                }
                seq.add("response.function_call_arguments.done", ModelJson.object().put("item_id", id)
                        .put("output_index", index).put("arguments", args));
            }
            default -> seq.add("response.output_item.added", ModelJson.object().put("output_index", index).set("item", added));
        }
        seq.add("response.output_item.done", ModelJson.object().put("output_index", index).set("item", item));
    }

    private static final class Sequence {
        final List<String> events = new ArrayList<>();
        int next;

        void add(String type, ObjectNode data) {
            ObjectNode o = ModelJson.object().put("type", type).put("sequence_number", next++);
            o.setAll(data);
            events.add(StreamWriter.event(type, o.toString()));
        }
    }
}
