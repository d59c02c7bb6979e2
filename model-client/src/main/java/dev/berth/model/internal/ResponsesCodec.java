package dev.berth.model.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.model.ChatResponse;
import dev.berth.model.ModelException;
import dev.berth.model.ResponseItem;
import dev.berth.model.ResponseRequest;
import dev.berth.model.ResponseResult;
import dev.berth.model.ToolChoice;
import dev.berth.model.ToolDefinition;
import dev.berth.model.Usage;
import dev.berth.model.config.Deployment;
import java.util.ArrayList;
import java.util.List;

/** Request and response JSON of the stateless Responses API. */
public final class ResponsesCodec {
    private ResponsesCodec() {
    }

    public static ObjectNode encode(ResponseRequest request, Deployment deployment, boolean stream) {
        ObjectNode body = ModelJson.object().put("model", deployment.wireModel(request.model())).put("store", false);
        body.putArray("include").add("reasoning.encrypted_content");
        if (request.instructions() != null) {
            body.put("instructions", request.instructions());
        }
        ArrayNode input = body.putArray("input");
        request.input().forEach(item -> input.add(item(item)));
        if (!request.tools().isEmpty()) {
            ArrayNode tools = body.putArray("tools");
            request.tools().forEach(t -> tools.add(tool(t)));
            if (request.parallelToolCalls() != null) {
                body.put("parallel_tool_calls", request.parallelToolCalls());
            }
        }
        if (request.toolChoice() instanceof ToolChoice.Mode m) {
            body.put("tool_choice", m.value());
        } else if (request.toolChoice() instanceof ToolChoice.Function f) {
            body.putObject("tool_choice").put("type", "function").put("name", f.name());
        }
        if (request.maxOutputTokens() != null) {
            body.put("max_output_tokens", request.maxOutputTokens());
        }
        if (request.responseFormat() != null) {
            body.putObject("text").putObject("format").put("type", "json_schema")
                    .put("name", request.responseFormat().name()).put("strict", request.responseFormat().strict())
                    .set("schema", request.responseFormat().schema());
        }
        if (request.reasoningEffort() != null) {
            body.putObject("reasoning").put("effort", request.reasoningEffort());
        }
        if (stream) {
            body.put("stream", true);
        }
        return body;
    }

    static ObjectNode item(ResponseItem item) {
        ObjectNode o = ModelJson.object();
        switch (item) {
            case ResponseItem.Message m -> o.put("type", "message").put("role", m.role()).put("content", m.text());
            case ResponseItem.FunctionCall fc -> {
                o.put("type", "function_call");
                if (fc.id() != null) {
                    o.put("id", fc.id());
                }
                o.put("call_id", fc.callId()).put("name", fc.name()).put("arguments", fc.arguments());
            }
            case ResponseItem.FunctionCallOutput out -> o.put("type", "function_call_output")
                    .put("call_id", out.callId()).put("output", out.output());
            case ResponseItem.Reasoning r -> {
                o.put("type", "reasoning").put("id", r.id());
                ArrayNode summary = o.putArray("summary");
                r.summary().forEach(s -> summary.addObject().put("type", "summary_text").put("text", s));
                if (r.encryptedContent() != null) {
                    o.put("encrypted_content", r.encryptedContent());
                }
            }
        }
        return o;
    }

    static ObjectNode tool(ToolDefinition def) {
        ObjectNode t = ModelJson.object().put("type", "function").put("name", def.name());
        if (def.description() != null) {
            t.put("description", def.description());
        }
        t.set("parameters", def.parameters());
        t.put("strict", def.strict());
        return t;
    }

    /** Reads a {@code Response} object; a {@code failed} status raises the mapped error. */
    public static ResponseResult decode(JsonNode response, ChatResponse.CallInfo call) {
        String status = ModelJson.str(response, "status");
        if ("failed".equals(status)) {
            JsonNode error = response.path("error");
            throw ErrorMapper.map(500, ModelJson.object().set("error", error).toString(), h -> null,
                    call.deployment() == null ? "unknown" : call.deployment());
        }
        List<ResponseItem> output = new ArrayList<>();
        for (JsonNode item : response.path("output")) {
            ResponseItem decoded = outputItem(item);
            if (decoded != null) {
                output.add(decoded);
            }
        }
        if (!response.has("output")) {
            throw new ModelException.Unavailable("the model answered without output", 200, null);
        }
        return new ResponseResult(ModelJson.str(response, "id"), status,
                ModelJson.str(response.path("incomplete_details"), "reason"), output, usage(response.get("usage")), call);
    }

    static ResponseItem outputItem(JsonNode item) {
        return switch (ModelJson.str(item, "type") == null ? "" : ModelJson.str(item, "type")) {
            case "message" -> {
                StringBuilder text = new StringBuilder();
                for (JsonNode part : item.path("content")) {
                    String t = ModelJson.str(part, "output_text".equals(ModelJson.str(part, "type")) ? "text" : "refusal");
                    if (t != null) {
                        text.append(t);
                    }
                }
                String role = ModelJson.str(item, "role");
                yield new ResponseItem.Message(role == null ? "assistant" : role, text.toString(), ModelJson.str(item, "id"));
            }
            case "function_call" -> new ResponseItem.FunctionCall(ModelJson.str(item, "id"), ModelJson.str(item, "call_id"),
                    ModelJson.str(item, "name"), ModelJson.str(item, "arguments"));
            case "reasoning" -> {
                List<String> summary = new ArrayList<>();
                item.path("summary").forEach(s -> summary.add(s.path("text").asText()));
                yield new ResponseItem.Reasoning(ModelJson.str(item, "id"), summary, ModelJson.str(item, "encrypted_content"));
            }
            default -> null;
        };
    }

    public static Usage usage(JsonNode usage) {
        if (usage == null || usage.isNull()) {
            return Usage.ZERO;
        }
        return new Usage(ModelJson.num(usage, "input_tokens"), ModelJson.num(usage, "output_tokens"),
                ModelJson.num(usage.get("input_tokens_details"), "cached_tokens"),
                ModelJson.num(usage.get("output_tokens_details"), "reasoning_tokens"));
    }
}
