package dev.berth.model.fake.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.model.fake.FakeReply;
import dev.berth.model.fake.RecordedRequest;
import dev.berth.model.internal.ModelJson;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The fake's Responses API WebSocket mode, on the routes of {@code POST …/responses} ({@code /v1},
 * {@code /openai/v1}, and {@code /openai/responses?api-version=}): each {@code response.create}
 * message is answered with the same events as the SSE stream (one text message per event), by the
 * same script and demo brain, checked by the same request rules and recorded like an HTTP request
 * (method {@code WEBSOCKET}, the message as sent). Like OpenAI's, the socket keeps only its last
 * response: {@code previous_response_id} must name it, or the answer is an {@code error} event with
 * code {@code previous_response_not_found}; the conversation checked and answered is that response's
 * input and output followed by the message's new input. One response at a time per socket.
 *
 * <p>Each message waits {@code socketLatency} (the fake's per-message overhead; by default the same as
 * the per-request {@code latency} over HTTP) unless its reply has a latency of its own. Scripted
 * {@code drop} closes the socket instead of answering; {@code dropMidStream} closes it after that many events.
 */
public final class FakeResponsesSocket {
    private static final Pattern ROUTE = Pattern.compile("(/openai/v1|/v1)/responses|/openai/responses");

    private final Vertx vertx;
    private final FakeState state;
    private final FakeHandler handler;
    private final FakeAccess access;

    public FakeResponsesSocket(Vertx vertx, FakeState state, FakeHandler handler) {
        this.vertx = vertx;
        this.state = state;
        this.handler = handler;
        this.access = new FakeAccess(state);
    }

    public void handle(ServerWebSocket ws) {
        boolean classic = ws.path().equals("/openai/responses");
        if (!ROUTE.matcher(ws.path()).matches() || (classic && (ws.query() == null || !ws.query().contains("api-version=")))
                || !state.webSockets) {
            ws.reject(404);
            return;
        }
        if (!access.allowsModel(ws.headers().get("api-key"), ws.headers().get("authorization"))) {
            ws.reject(401);
            return;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        ws.headers().forEach(e -> headers.putIfAbsent(e.getKey().toLowerCase(Locale.ROOT), e.getValue()));
        state.openSockets.add(ws);
        ws.closeHandler(v -> state.openSockets.remove(ws));
        new Connection(ws, headers).start();
    }

    /** One socket: its last response and the conversation that response ends. */
    private final class Connection {
        private final ServerWebSocket ws;
        private final Map<String, String> headers;
        private String lastResponseId;
        private ArrayNode conversation = ModelJson.array();
        private boolean busy;

        Connection(ServerWebSocket ws, Map<String, String> headers) {
            this.ws = ws;
            this.headers = headers;
        }

        void start() {
            ws.textMessageHandler(this::onMessage);
        }

        private void onMessage(String text) {
            JsonNode message;
            try {
                message = ModelJson.parse(text);
            } catch (IllegalArgumentException e) {
                error(400, "invalid_request_error", "invalid_json", "The message is not valid JSON.", null);
                return;
            }
            state.recorded.add(new RecordedRequest("WEBSOCKET", ws.path(), ws.query(), headers, message));
            if (!"response.create".equals(ModelJson.str(message, "type"))) {
                error(400, "invalid_request_error", "unknown_event_type", "Unknown event type: "
                        + ModelJson.str(message, "type"), "type");
                return;
            }
            if (busy) {
                error(400, "invalid_request_error", "response_already_in_flight",
                        "A response is already in progress on this connection.", null);
                return;
            }
            String previous = ModelJson.str(message, "previous_response_id");
            if (previous != null && !previous.equals(lastResponseId)) {
                error(400, "invalid_request_error", "previous_response_not_found",
                        "Previous response with id '" + previous + "' not found.", "previous_response_id");
                return;
            }
            ObjectNode request = ((ObjectNode) message).deepCopy();
            request.remove("type");
            request.remove("previous_response_id");
            ArrayNode input = ModelJson.array();
            if (previous != null) {
                input.addAll(conversation);
            }
            JsonNode sent = message.path("input");
            if (sent.isTextual()) {
                input.addObject().put("type", "message").put("role", "user").put("content", sent.asText());
            } else {
                sent.forEach(input::add);
            }
            request.set("input", input);
            if (!message.has("input")) {
                error(400, "invalid_request_error", null, "'input' is a required property", "input");
                return;
            }
            Violation violation = state.options.lenientRequests() ? null : ResponsesRequestRules.check(request);
            if (violation != null) {
                JsonNode body = violation.body().path("error");
                error(400, ModelJson.str(body, "type"), ModelJson.str(body, "code"), ModelJson.str(body, "message"),
                        ModelJson.str(body, "param"));
                return;
            }
            // a failed or refused response leaves nothing to continue from
            lastResponseId = null;
            busy = true;
            FakeReply reply = handler.nextReply("responses", request);
            Duration latency = reply.latency() != null ? reply.latency()
                    : state.socketLatency != null ? state.socketLatency : state.options.latency();
            if (latency.isZero()) {
                answer(request, reply);
            } else {
                vertx.setTimer(Math.max(1, latency.toMillis()), id -> answer(request, reply));
            }
        }

        private void answer(ObjectNode request, FakeReply reply) {
            busy = false;
            int dropAfter = Integer.MAX_VALUE;
            FakeReply inner = reply;
            switch (reply) {
                case FakeReply.Drop d -> {
                    ws.close((short) 1011, "dropped by the fake");
                    return;
                }
                case FakeReply.Error e -> {
                    error(e.status(), e.status() == 429 ? "rate_limit_error" : "server_error", e.code(), e.message(), null);
                    return;
                }
                case FakeReply.Raw raw -> {
                    ws.writeTextMessage(raw.body());
                    return;
                }
                case FakeReply.DropMidStream d -> {
                    inner = d.reply();
                    dropAfter = d.afterChunks();
                }
                case FakeReply.MalformedChunk m -> {
                    inner = m.reply();
                }
                default -> {
                }
            }
            String model = ModelJson.str(request, "model");
            List<String> events = Responses.events(request, model == null ? "unknown" : model, inner);
            int sent = 0;
            for (String sse : events) {
                if (sent++ == dropAfter) {
                    ws.close((short) 1011, "dropped by the fake");
                    return;
                }
                String json = sse.substring(sse.indexOf("\ndata: ") + 7).strip();
                ws.writeTextMessage(json);
                JsonNode event = ModelJson.parse(json);
                if ("response.completed".equals(ModelJson.str(event, "type"))) {
                    JsonNode response = event.path("response");
                    ArrayNode next = ModelJson.array();
                    next.addAll((ArrayNode) request.get("input"));
                    response.path("output").forEach(next::add);
                    conversation = next;
                    lastResponseId = ModelJson.str(response, "id");
                }
            }
        }

        /** An {@code error} event, as WebSocket mode sends errors: the HTTP status and OpenAI's error object. */
        private void error(int status, String type, String code, String message, String param) {
            ObjectNode event = ModelJson.object().put("type", "error").put("status", status);
            ObjectNode error = event.putObject("error").put("type", type).put("message", message);
            error.put("code", code);
            error.put("param", param);
            ws.writeTextMessage(event.toString());
        }
    }

}
