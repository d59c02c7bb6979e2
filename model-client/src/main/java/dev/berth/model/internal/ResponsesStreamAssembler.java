package dev.berth.model.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.model.ChatResponse;
import dev.berth.model.ModelException;
import dev.berth.model.ResponseStreamEvent;
import dev.berth.model.internal.sse.SseEvent;
import java.util.List;

/**
 * Turns Responses API stream events ({@code event:} + {@code data:} with {@code sequence_number})
 * into {@link ResponseStreamEvent}s. The stream has no {@code [DONE]}: it ends with
 * {@code response.completed}, {@code response.incomplete} or {@code response.failed}. Not thread safe.
 */
public final class ResponsesStreamAssembler {
    private JsonNode finalResponse;

    public List<ResponseStreamEvent> accept(SseEvent sse, ChatResponse.CallInfo info) {
        JsonNode data;
        try {
            data = ModelJson.parse(sse.data());
        } catch (IllegalArgumentException e) {
            throw new ModelException.Unavailable("malformed stream event", 200, e);
        }
        String type = sse.event() != null ? sse.event() : ModelJson.str(data, "type");
        if (type == null) {
            return List.of();
        }
        return switch (type) {
            case "response.output_text.delta", "response.refusal.delta" -> List.of(new ResponseStreamEvent.TextDelta(
                    data.path("output_index").asInt(), data.path("delta").asText()));
            case "response.function_call_arguments.delta" -> List.of(new ResponseStreamEvent.FunctionCallArgumentsDelta(
                    data.path("output_index").asInt(), ModelJson.str(data, "item_id"), data.path("delta").asText()));
            case "response.output_item.added" -> {
                JsonNode item = data.path("item");
                yield "function_call".equals(ModelJson.str(item, "type"))
                        ? List.of(new ResponseStreamEvent.FunctionCallStarted(data.path("output_index").asInt(),
                                ModelJson.str(item, "id"), ModelJson.str(item, "call_id"), ModelJson.str(item, "name")))
                        : List.of();
            }
            case "response.completed", "response.incomplete" -> {
                finalResponse = data.path("response");
                yield List.of();
            }
            case "response.failed" -> {
                JsonNode error = data.path("response").path("error");
                throw ErrorMapper.map(500, ModelJson.object().set("error", error).toString(), h -> null, info.deployment());
            }
            case "error" -> throw ErrorMapper.map(500, ModelJson.object().set("error", data).toString(), h -> null,
                    info.deployment());
            default -> List.of();
        };
    }

    /** The final event; fails when the stream ended without a terminal event. */
    public ResponseStreamEvent.Completed complete(ChatResponse.CallInfo info) {
        if (finalResponse == null) {
            throw new ModelException.Unavailable("the stream ended before the response was complete", 200, null);
        }
        return new ResponseStreamEvent.Completed(ResponsesCodec.decode(finalResponse, info));
    }
}
