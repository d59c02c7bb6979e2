package dev.berth.model.fake.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.model.ToolCall;
import dev.berth.model.fake.FakeReply;
import dev.berth.model.internal.ModelJson;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** Builds chat-completions answers in the providers' exact shapes. */
public final class ChatCompletions {
    public static final String FINGERPRINT = "fp_berth_fake";
    private static final String[] CATEGORIES = {"hate", "self_harm", "sexual", "violence"};

    private ChatCompletions() {
    }

    /** A full {@code chat.completion} object for a text or tool-call reply. */
    public static ObjectNode completion(JsonNode request, String model, FakeReply reply, boolean azure) {
        ObjectNode body = ModelJson.object().put("id", newId("chatcmpl-")).put("object", "chat.completion")
                .put("created", System.currentTimeMillis() / 1000).put("model", model)
                .put("system_fingerprint", FINGERPRINT);
        ObjectNode choice = body.putArray("choices").addObject().put("index", 0);
        ObjectNode message = choice.putObject("message").put("role", "assistant");
        String completionText;
        switch (reply) {
            case FakeReply.Text t -> {
                message.put("content", t.content());
                completionText = t.content();
                choice.put("finish_reason", t.finishReason());
            }
            case FakeReply.ToolCalls tc -> {
                message.putNull("content");
                message.set("tool_calls", toolCalls(tc.calls()));
                completionText = message.get("tool_calls").toString();
                choice.put("finish_reason", "tool_calls");
            }
            default -> throw new IllegalArgumentException("not a completion reply: " + reply);
        }
        message.putNull("refusal");
        choice.putNull("logprobs");
        if (azure) {
            choice.set("content_filter_results", filterResults());
            body.putArray("prompt_filter_results").addObject().put("prompt_index", 0)
                    .set("content_filter_results", filterResults());
        }
        body.set("usage", usage(promptTokens(request), tokens(completionText)));
        return body;
    }

    /** Which of Azure's stream shapes a streamed answer takes (OpenAI routes take neither). */
    public enum AzureShape {
        /** Not an Azure route: OpenAI's chunks, nothing else. */
        NONE,
        /** Azure's default: the prompt's annotation chunk first, then every chunk with a {@code delta} and its filter results. */
        DEFAULT,
        /** Azure's Asynchronous Filter: chunks without annotations, then annotation chunks without {@code delta}. */
        ASYNC_FILTER
    }

    /**
     * The SSE events of a streamed answer, in the shapes OpenAI and Azure send. Azure's shapes follow
     * learn.microsoft.com "Content streaming" (Annotations and sample responses).
     */
    public static List<String> chunks(JsonNode request, String model, FakeReply reply, AzureShape shape) {
        List<String> out = new java.util.ArrayList<>();
        String id = newId("chatcmpl-");
        long created = System.currentTimeMillis() / 1000;
        Chunks c = new Chunks(id, created, model, shape);
        if (shape != AzureShape.NONE) {
            // the prompt's annotation: empty id, object and model, no choices (sent in both Azure modes)
            ObjectNode first = ModelJson.object().put("id", "").put("object", "").put("created", 0).put("model", "");
            first.putArray("choices");
            first.putArray("prompt_filter_results").addObject().put("prompt_index", 0)
                    .set("content_filter_results", filterResults());
            first.putNull("usage");
            out.add(StreamWriter.data(first.toString()));
        }
        ObjectNode role = ModelJson.object().put("role", "assistant");
        String completionText;
        String finish;
        if (reply instanceof FakeReply.Text t) {
            role.put("content", "");
            role.putNull("refusal");
            out.add(c.chunk(role, null, false));
            for (String piece : pieces(t.content())) {
                out.add(c.chunk(ModelJson.object().put("content", piece), null, true));
            }
            completionText = t.content();
            finish = t.finishReason();
        } else if (reply instanceof FakeReply.ToolCalls tc) {
            role.putNull("content");
            out.add(c.chunk(role, null, false));
            for (int i = 0; i < tc.calls().size(); i++) {
                ToolCall call = tc.calls().get(i);
                ObjectNode head = ModelJson.object();
                ObjectNode entry = head.putArray("tool_calls").addObject().put("index", i).put("id", call.id())
                        .put("type", "function");
                entry.putObject("function").put("name", call.name()).put("arguments", "");
                out.add(c.chunk(head, null, false));
                for (String piece : fragments(call.arguments())) {
                    ObjectNode frag = ModelJson.object();
                    frag.putArray("tool_calls").addObject().put("index", i).putObject("function")
                            .put("arguments", piece);
                    out.add(c.chunk(frag, null, false));
                }
            }
            completionText = toolCalls(tc.calls()).toString();
            finish = "tool_calls";
        } else {
            throw new IllegalArgumentException("not a completion reply: " + reply);
        }
        out.add(c.chunk(ModelJson.object(), finish, false));
        if (shape == AzureShape.ASYNC_FILTER) {
            // the delayed annotation of the output: a choice without delta, offsets counted from the prompt's start
            long promptChars = promptChars(request);
            ObjectNode ann = ModelJson.object().put("id", "").put("object", "").put("created", 0).put("model", "");
            ObjectNode choice = ann.putArray("choices").addObject().put("index", 0);
            choice.putNull("finish_reason");
            choice.set("content_filter_results", filterResults());
            choice.putObject("content_filter_offsets").put("check_offset", promptChars + completionText.length())
                    .put("start_offset", promptChars).put("end_offset", promptChars + completionText.length());
            ann.putNull("usage");
            out.add(StreamWriter.data(ann.toString()));
        }
        if (request.path("stream_options").path("include_usage").asBoolean(false)) {
            ObjectNode usage = ModelJson.object().put("id", id).put("object", "chat.completion.chunk")
                    .put("created", created).put("model", model).put("system_fingerprint", FINGERPRINT);
            usage.putArray("choices");
            usage.set("usage", usage(promptTokens(request), tokens(completionText)));
            out.add(StreamWriter.data(usage.toString()));
        }
        out.add(StreamWriter.data("[DONE]"));
        return out;
    }

    /** The chunks of one streamed answer. */
    private record Chunks(String id, long created, String model, AzureShape shape) {
        /**
         * One chunk with a delta. In Azure's default mode every choice carries its filter results next to the
         * delta: the category results for vetted content, {@code {}} for the role, tool-call and finish chunks.
         */
        String chunk(ObjectNode delta, String finish, boolean content) {
            ObjectNode c = ModelJson.object().put("id", id).put("object", "chat.completion.chunk").put("created", created)
                    .put("model", model).put("system_fingerprint", FINGERPRINT);
            ObjectNode choice = c.putArray("choices").addObject().put("index", 0);
            choice.set("delta", delta);
            choice.putNull("logprobs");
            if (finish == null) {
                choice.putNull("finish_reason");
            } else {
                choice.put("finish_reason", finish);
            }
            if (shape == AzureShape.DEFAULT) {
                choice.set("content_filter_results", content ? filterResults() : ModelJson.object());
            }
            return StreamWriter.data(c.toString());
        }
    }

    private static long promptChars(JsonNode request) {
        long chars = 0;
        for (JsonNode m : request.path("messages")) {
            chars += DemoBrain.contentText(m.get("content")).length();
        }
        return chars;
    }

    /** Word-sized pieces, each keeping its leading space, like a tokenizer would. */
    public static List<String> pieces(String text) {
        List<String> out = new java.util.ArrayList<>();
        int start = 0;
        for (int i = 1; i <= text.length(); i++) {
            if (i == text.length() || text.charAt(i) == ' ') {
                out.add(text.substring(start, i));
                start = i;
            }
        }
        return out;
    }

    /** Arguments split into up to three fragments, so clients must concatenate. */
    static List<String> fragments(String args) {
        int n = args.length();
        if (n < 3) {
            return List.of(args);
        }
        return List.of(args.substring(0, n / 3), args.substring(n / 3, 2 * n / 3), args.substring(2 * n / 3));
    }

    public static ArrayNode toolCalls(List<ToolCall> calls) {
        ArrayNode arr = ModelJson.array();
        for (ToolCall c : calls) {
            ObjectNode o = arr.addObject().put("id", c.id()).put("type", "function");
            o.putObject("function").put("name", c.name()).put("arguments", c.arguments());
        }
        return arr;
    }

    public static ObjectNode usage(long prompt, long completion) {
        ObjectNode u = ModelJson.object().put("prompt_tokens", prompt).put("completion_tokens", completion)
                .put("total_tokens", prompt + completion);
        u.putObject("prompt_tokens_details").put("cached_tokens", 0).put("audio_tokens", 0);
        u.putObject("completion_tokens_details").put("reasoning_tokens", 0).put("audio_tokens", 0)
                .put("accepted_prediction_tokens", 0).put("rejected_prediction_tokens", 0);
        return u;
    }

    /** Azure's per-category annotation, nothing filtered. */
    public static ObjectNode filterResults() {
        ObjectNode r = ModelJson.object();
        for (String c : CATEGORIES) {
            r.putObject(c).put("filtered", false).put("severity", "safe");
        }
        return r;
    }

    /** Roughly four characters per token, as a plausible count for usage. */
    public static long tokens(String text) {
        return text == null || text.isEmpty() ? 0 : Math.max(1, (text.length() + 3) / 4);
    }

    public static long promptTokens(JsonNode request) {
        long chars = 0;
        for (JsonNode m : request.path("messages")) {
            chars += DemoBrain.contentText(m.get("content")).length() + 4;
            chars += m.path("tool_calls").toString().length();
        }
        for (JsonNode m : request.path("input")) {
            chars += m.toString().length();
        }
        if (request.path("input").isTextual()) {
            chars += request.path("input").asText().length();
        }
        if (request.has("tools")) {
            chars += request.get("tools").toString().length();
        }
        return Math.max(1, (chars + 3) / 4);
    }

    public static String newId(String prefix) {
        StringBuilder sb = new StringBuilder(prefix);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        ThreadLocalRandom r = ThreadLocalRandom.current();
        for (int i = 0; i < 29; i++) {
            sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    /** The standard error body. */
    public static ObjectNode error(String code, String message, int status) {
        ObjectNode e = ModelJson.object();
        ObjectNode err = e.putObject("error").put("message", message);
        err.put("type", status == 429 ? "rate_limit_exceeded" : status >= 500 ? "server_error" : "invalid_request_error");
        err.putNull("param");
        if (code == null) {
            err.putNull("code");
        } else {
            err.put("code", code);
        }
        return e;
    }
}
