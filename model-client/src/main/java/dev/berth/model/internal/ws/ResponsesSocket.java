package dev.berth.model.internal.ws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.model.ModelException;
import dev.berth.model.internal.ModelJson;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.vertx.core.http.WebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One open Responses API WebSocket ({@code wss://…/responses}) and what the provider keeps on it:
 * the id of the last response completed on this socket and the conversation that response ends.
 * One response at a time (the protocol's rule); a caller finding it busy uses HTTP instead.
 *
 * <p>Each {@link #send} takes the request's whole input. When the socket's conversation is a prefix
 * of it, only the rest is sent, with {@code previous_response_id}; otherwise (a new socket, a
 * compacted or rewritten context, a failed previous response) the whole input is sent without it.
 * So the caller's context stays the truth, and the socket is only a cache of it.
 *
 * <p>Threading: Vert.x calls the handlers on the socket's event loop; the chain is an immutable
 * value in a volatile field, replaced only when a response ends.
 */
final class ResponsesSocket {
    /** The conversation the provider holds for this socket: the last response id and its items. */
    private record Chain(String responseId, List<JsonNode> items) {
        static final Chain NONE = new Chain(null, List.of());
    }

    private final WebSocket socket;
    private final String deploymentId;
    private final long openedNanos;
    private final AtomicReference<MultiEmitter<? super JsonNode>> current = new AtomicReference<>();
    private volatile Chain chain = Chain.NONE;
    /** The whole conversation of the response in flight (its input), kept until the response completes. */
    private volatile List<JsonNode> pending = List.of();
    private volatile boolean closed;
    private volatile long lastUsedNanos;

    ResponsesSocket(WebSocket socket, String deploymentId, long nowNanos) {
        this.socket = socket;
        this.deploymentId = deploymentId;
        this.openedNanos = nowNanos;
        this.lastUsedNanos = nowNanos;
        socket.textMessageHandler(this::onText);
        socket.closeHandler(v -> onClosed("the socket was closed"));
        socket.exceptionHandler(e -> onClosed(e.getClass().getSimpleName() + ": " + e.getMessage()));
    }

    /** Open and not carrying a response. */
    boolean idle() {
        return !closed && current.get() == null;
    }

    boolean isClosed() {
        return closed;
    }

    long openedNanos() {
        return openedNanos;
    }

    long lastUsedNanos() {
        return lastUsedNanos;
    }

    /**
     * Sends {@code body} (a Responses create body with the whole input, without {@code stream}) as a
     * {@code response.create} message and emits every server event up to and including the terminal
     * one ({@code response.completed|incomplete|failed} or {@code error}). Fails with
     * {@link ModelException.Unavailable} when the socket closes first, or when it is busy.
     */
    Multi<JsonNode> send(ObjectNode body, long nowNanos) {
        return Multi.createFrom().emitter(emitter -> {
            if (closed || !current.compareAndSet(null, emitter)) {
                emitter.fail(new ModelException.Unavailable("the socket to " + deploymentId + " is "
                        + (closed ? "closed" : "busy"), 0, null));
                return;
            }
            lastUsedNanos = nowNanos;
            ObjectNode message = continuation(body);
            socket.writeTextMessage(message.toString()).onFailure(e -> onClosed("write failed: " + e.getMessage()));
        });
    }

    /** The message for {@code body}: only the new items and the previous response's id when the chain fits. */
    private ObjectNode continuation(ObjectNode body) {
        List<JsonNode> input = new ArrayList<>();
        body.path("input").forEach(input::add);
        Chain known = chain;
        // nothing is known while a response is in flight or after one failed: the next one starts afresh
        chain = Chain.NONE;
        pending = Conversation.normalized(input);
        ObjectNode message = ModelJson.object().put("type", "response.create");
        message.setAll(body);
        message.remove("stream");
        int rest = known.responseId() == null ? -1 : Conversation.restAfter(known.items(), input);
        if (rest >= 0) {
            message.put("previous_response_id", known.responseId());
            ArrayNode newItems = message.putArray("input");
            input.subList(rest, input.size()).forEach(newItems::add);
        }
        return message;
    }

    private void onText(String text) {
        MultiEmitter<? super JsonNode> emitter = current.get();
        if (emitter == null) {
            return;
        }
        JsonNode event;
        try {
            event = ModelJson.parse(text);
        } catch (IllegalArgumentException e) {
            current.set(null);
            emitter.fail(new ModelException.Unavailable("malformed event on the socket to " + deploymentId, 200, e));
            return;
        }
        String type = ModelJson.str(event, "type");
        emitter.emit(event);
        if ("response.completed".equals(type) || "response.incomplete".equals(type)) {
            JsonNode response = event.path("response");
            List<JsonNode> items = new ArrayList<>(pending);
            List<JsonNode> output = new ArrayList<>();
            response.path("output").forEach(output::add);
            items.addAll(Conversation.normalized(output));
            chain = new Chain(ModelJson.str(response, "id"), List.copyOf(items));
            end(emitter);
        } else if ("response.failed".equals(type) || "error".equals(type)) {
            end(emitter);
        }
    }

    private void end(MultiEmitter<? super JsonNode> emitter) {
        pending = List.of();
        current.set(null);
        emitter.complete();
    }

    private void onClosed(String why) {
        closed = true;
        chain = Chain.NONE;
        MultiEmitter<? super JsonNode> emitter = current.getAndSet(null);
        if (emitter != null) {
            emitter.fail(new ModelException.Unavailable("the socket to " + deploymentId + " broke: " + why, 0, null));
        }
    }

    /** Closes the socket; a response in flight fails. Idempotent. */
    void close() {
        if (!closed) {
            onClosed("closed by the client");
            socket.close().onFailure(e -> { });
        }
    }

    /**
     * Compares conversations the way the provider sees them: items by their content, without the ids
     * the provider gave output items (a chat caller replays calls without them) and without
     * reasoning items (the provider keeps its own; a chat caller never sees them).
     */
    static final class Conversation {
        private Conversation() {
        }

        static List<JsonNode> normalized(List<JsonNode> items) {
            List<JsonNode> out = new ArrayList<>(items.size());
            for (JsonNode item : items) {
                JsonNode n = normalized(item);
                if (n != null) {
                    out.add(n);
                }
            }
            return out;
        }

        /** The item as compared, or null for items that do not count (reasoning). */
        private static JsonNode normalized(JsonNode item) {
            String type = ModelJson.str(item, "type");
            if (type == null) {
                type = "message";
            }
            return switch (type) {
                case "reasoning" -> null;
                case "message" -> ModelJson.object().put("type", "message").put("role", ModelJson.str(item, "role"))
                        .put("content", text(item.get("content")));
                case "function_call" -> ModelJson.object().put("type", type).put("call_id", ModelJson.str(item, "call_id"))
                        .put("name", ModelJson.str(item, "name")).put("arguments", ModelJson.str(item, "arguments"));
                case "function_call_output" -> ModelJson.object().put("type", type)
                        .put("call_id", ModelJson.str(item, "call_id")).put("output", ModelJson.str(item, "output"));
                default -> item;
            };
        }

        private static String text(JsonNode content) {
            if (content == null || content.isNull()) {
                return "";
            }
            if (content.isTextual()) {
                return content.asText();
            }
            StringBuilder sb = new StringBuilder();
            content.forEach(part -> sb.append(part.path("text").asText(part.path("refusal").asText(""))));
            return sb.toString();
        }

        /**
         * Where the new items of {@code input} start when {@code known} is a prefix of it (compared
         * normalized); -1 when it is not, or when nothing would be new.
         */
        static int restAfter(List<JsonNode> known, List<JsonNode> input) {
            if (known.isEmpty()) {
                return -1;
            }
            int matched = 0;
            for (int i = 0; i < input.size(); i++) {
                JsonNode n = normalized(input.get(i));
                if (n == null) {
                    continue;
                }
                if (matched == known.size()) {
                    return i;
                }
                if (!n.equals(known.get(matched))) {
                    return -1;
                }
                matched++;
            }
            return -1;
        }
    }
}
