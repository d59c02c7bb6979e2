package dev.berth.model.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.model.ChatResponse;
import dev.berth.model.ChatStreamEvent;
import dev.berth.model.FinishReason;
import dev.berth.model.ModelException;
import dev.berth.model.ToolCall;
import dev.berth.model.Usage;
import dev.berth.model.internal.sse.SseEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Turns chat-completion chunks into {@link ChatStreamEvent}s and assembles the final answer.
 * Accepts every shape providers send: Azure's first chunk with empty id and {@code choices: []}
 * carrying {@code prompt_filter_results}, annotation chunks whose choice has no {@code delta},
 * tool-call fragments keyed by index, and the usage chunk with {@code choices: []}. Not thread
 * safe: one per stream.
 */
public final class ChatStreamAssembler {
    private final StringBuilder content = new StringBuilder();
    private final TreeMap<Integer, String[]> calls = new TreeMap<>();
    private final TreeMap<Integer, StringBuilder> arguments = new TreeMap<>();
    private String id;
    private String finishReason;
    private Usage usage = Usage.ZERO;
    private boolean sawUsage;
    private boolean done;
    private boolean sawContent;

    /** The events of one SSE event; empty for annotations and bookkeeping chunks. */
    public List<ChatStreamEvent> accept(SseEvent sse) {
        String data = sse.data();
        if ("[DONE]".equals(data.trim())) {
            done = true;
            return List.of();
        }
        JsonNode chunk;
        try {
            chunk = ModelJson.parse(data);
        } catch (IllegalArgumentException e) {
            throw new ModelException.Unavailable("malformed stream chunk", 200, e);
        }
        if (chunk.has("error")) {
            throw ErrorMapper.map(500, data, h -> null, "stream");
        }
        String chunkId = ModelJson.str(chunk, "id");
        if (chunkId != null && !chunkId.isEmpty()) {
            id = chunkId;
        }
        if (chunk.hasNonNull("usage")) {
            usage = ChatDecoder.chatUsage(chunk.get("usage"));
            sawUsage = true;
        }
        List<ChatStreamEvent> events = new ArrayList<>(1);
        for (JsonNode choice : chunk.path("choices")) {
            if (choice.path("index").asInt(0) != 0) {
                continue;
            }
            String reason = ModelJson.str(choice, "finish_reason");
            if (reason != null) {
                finishReason = reason;
            }
            JsonNode delta = choice.get("delta");
            if (delta == null || delta.isNull()) {
                continue;
            }
            String text = ModelJson.str(delta, "content");
            if (text == null) {
                text = ModelJson.str(delta, "refusal");
            }
            if (text != null && !text.isEmpty()) {
                content.append(text);
                sawContent = true;
                events.add(new ChatStreamEvent.TextDelta(text));
            }
            for (JsonNode tc : delta.path("tool_calls")) {
                events.add(toolDelta(tc));
            }
        }
        return events;
    }

    private ChatStreamEvent toolDelta(JsonNode tc) {
        int index = tc.path("index").asInt(0);
        String callId = ModelJson.str(tc, "id");
        String name = ModelJson.str(tc.path("function"), "name");
        String fragment = ModelJson.str(tc.path("function"), "arguments");
        String[] known = calls.computeIfAbsent(index, i -> new String[2]);
        if (callId != null) {
            known[0] = callId;
        }
        if (name != null) {
            known[1] = name;
        }
        if (fragment != null) {
            arguments.computeIfAbsent(index, i -> new StringBuilder()).append(fragment);
        }
        return new ChatStreamEvent.ToolCallDelta(index, callId, name, fragment == null ? "" : fragment);
    }

    /** Whether the provider reported usage (a chunk with non-null {@code usage}); if not, it must be estimated. */
    public boolean sawUsage() {
        return sawUsage;
    }

    /** The assembled answer once the stream ended; fails when it ended before {@code [DONE]} or a finish reason. */
    public ChatStreamEvent.Completed complete(ChatResponse.CallInfo info) {
        if (!done && finishReason == null) {
            throw new ModelException.Unavailable("the stream ended before the answer was complete", 200, null);
        }
        List<ToolCall> toolCalls = new ArrayList<>();
        calls.forEach((index, known) -> {
            StringBuilder args = arguments.get(index);
            toolCalls.add(new ToolCall(known[0] == null ? "call_" + index : known[0],
                    known[1] == null ? "unknown" : known[1], args == null ? "{}" : args.toString()));
        });
        return new ChatStreamEvent.Completed(new ChatResponse(id, sawContent ? content.toString() : null, toolCalls,
                FinishReason.fromWire(finishReason), usage, info));
    }
}
