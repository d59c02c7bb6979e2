package dev.berth.model.fake.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.model.ToolCall;
import dev.berth.model.fake.FakeReply;
import dev.berth.model.internal.ModelJson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON form of scripted replies for {@code POST /_fake/script}: an array (or
 * {@code {"replies":[...]}}) of objects, each with {@code latencyMs} optional and one of
 * <pre>
 * {"text": "hello", "finishReason": "stop"}
 * {"toolCalls": [{"id": "call_1", "name": "get_time", "arguments": "{}"}]}
 * {"error": {"status": 429, "code": "429", "message": "...", "headers": {"Retry-After": "1"}}}
 * {"raw": {"status": 200, "body": "not json", "headers": {}}}
 * {"drop": true}
 * {"dropMidStream": {"afterChunks": 3, "reply": {"text": "..."}}}
 * {"malformedChunk": {"afterChunks": 2, "reply": {"text": "..."}}}
 * </pre>
 */
public final class ScriptCodec {
    private ScriptCodec() {
    }

    public static List<FakeReply> decode(JsonNode script) {
        JsonNode replies = script.isArray() ? script : script.path("replies");
        if (!replies.isArray()) {
            throw new IllegalArgumentException("expected an array of replies or {\"replies\": [...]}");
        }
        List<FakeReply> out = new ArrayList<>();
        for (JsonNode r : replies) {
            out.add(decodeOne(r));
        }
        return out;
    }

    static FakeReply decodeOne(JsonNode r) {
        Duration latency = r.has("latencyMs") ? Duration.ofMillis(r.get("latencyMs").asLong()) : null;
        FakeReply reply;
        if (r.has("text")) {
            reply = new FakeReply.Text(r.get("text").asText(), ModelJson.str(r, "finishReason"), null);
        } else if (r.has("toolCalls")) {
            List<ToolCall> calls = new ArrayList<>();
            int i = 0;
            for (JsonNode c : r.get("toolCalls")) {
                String id = ModelJson.str(c, "id");
                JsonNode args = c.get("arguments");
                String argText = args == null ? "{}" : args.isTextual() ? args.asText() : args.toString();
                calls.add(new ToolCall(id == null ? "call_" + (++i) + "_" + System.nanoTime() : id, ModelJson.str(c, "name"),
                        argText));
            }
            reply = new FakeReply.ToolCalls(calls, null);
        } else if (r.has("error")) {
            JsonNode e = r.get("error");
            reply = new FakeReply.Error(e.path("status").asInt(500), ModelJson.str(e, "code"), ModelJson.str(e, "message"),
                    headers(e.get("headers")), null);
        } else if (r.has("raw")) {
            JsonNode raw = r.get("raw");
            JsonNode body = raw.get("body");
            reply = new FakeReply.Raw(raw.path("status").asInt(200),
                    body == null ? "" : body.isTextual() ? body.asText() : body.toString(), headers(raw.get("headers")),
                    null);
        } else if (r.has("dropMidStream")) {
            JsonNode d = r.get("dropMidStream");
            reply = new FakeReply.DropMidStream(decodeOne(d.path("reply")), d.path("afterChunks").asInt(1), null);
        } else if (r.has("malformedChunk")) {
            JsonNode d = r.get("malformedChunk");
            reply = new FakeReply.MalformedChunk(decodeOne(d.path("reply")), d.path("afterChunks").asInt(1), null);
        } else if (r.path("drop").asBoolean()) {
            reply = new FakeReply.Drop(null);
        } else {
            throw new IllegalArgumentException("unknown reply: " + r);
        }
        return latency == null ? reply : reply.withLatency(latency);
    }

    private static Map<String, String> headers(JsonNode h) {
        Map<String, String> m = new LinkedHashMap<>();
        if (h != null) {
            h.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
        }
        return m;
    }

    /** Encodes a recorded request for {@code GET /_fake/requests}. */
    public static ObjectNode recorded(dev.berth.model.fake.RecordedRequest r) {
        ObjectNode o = ModelJson.object().put("method", r.method()).put("path", r.path()).put("query", r.query());
        ObjectNode h = o.putObject("headers");
        r.headers().forEach((k, v) -> h.put(k, isSecret(k) ? "***" : v));
        o.set("body", r.body());
        return o;
    }

    private static boolean isSecret(String header) {
        return header.equals("api-key") || header.equals("authorization");
    }
}
