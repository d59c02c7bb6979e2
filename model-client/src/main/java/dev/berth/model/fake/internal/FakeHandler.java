package dev.berth.model.fake.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.berth.model.fake.FakeReply;
import dev.berth.model.fake.RecordedRequest;
import dev.berth.model.internal.ModelJson;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Routes the fake server's requests: control endpoints, the token endpoint and the model API. */
public final class FakeHandler {
    private static final Pattern V1 = Pattern.compile("(/openai/v1|/v1)/(chat/completions|responses|embeddings)");
    private static final Pattern CLASSIC = Pattern.compile("/openai/deployments/([^/]+)/(chat/completions|embeddings)");
    private static final Pattern TOKEN = Pattern.compile("/([^/]+)/oauth2/v2\\.0/token");

    private final Vertx vertx;
    private final FakeState state;
    private final FakeAccess access;

    public FakeHandler(Vertx vertx, FakeState state) {
        this.vertx = vertx;
        this.state = state;
        this.access = new FakeAccess(state);
    }

    public void handle(HttpServerRequest req) {
        req.body().onSuccess(buf -> dispatch(req, buf)).onFailure(t -> req.response().reset());
    }

    private void dispatch(HttpServerRequest req, Buffer buf) {
        String path = req.path();
        if (path.startsWith("/_fake/")) {
            // Control reads every recorded prompt and scripts answers: the key itself, never an issued token.
            if (access.allowsControl(req)) {
                Control.handle(req, path, buf, state);
            } else {
                FakeAccess.refuse(req);
            }
            return;
        }
        if (TOKEN.matcher(path).matches() && req.method() == HttpMethod.POST) {
            Tokens.handle(req, buf, state);
            return;
        }
        // Refused before it is recorded or routed: without the key, nothing is learnt about the fake.
        if (!access.allowsModel(req)) {
            FakeAccess.refuse(req);
            return;
        }
        JsonNode body = parseBody(buf);
        state.recorded.add(new RecordedRequest(req.method().name(), path, req.query(), headers(req), body));
        Matcher v1 = V1.matcher(path);
        Matcher classic = CLASSIC.matcher(path);
        String operation;
        String pathModel = null;
        if (v1.matches()) {
            operation = v1.group(2);
        } else if (classic.matches() && req.getParam("api-version") != null) {
            operation = classic.group(2);
            pathModel = classic.group(1);
        } else if (path.equals("/openai/responses") && hasResponses(req.getParam("api-version"))) {
            operation = "responses";
        } else {
            // Azure answers unknown routes, and classic routes without api-version, with 404
            Control.notFound(req);
            return;
        }
        if (req.method() != HttpMethod.POST) {
            Control.notFound(req);
            return;
        }
        String model = pathModel != null ? pathModel : ModelJson.str(body, "model");
        Exchange ex = new Exchange(vertx, body, path.startsWith("/openai/"), model == null ? "unknown" : model,
                req.response());
        String invalid = validate(operation, body);
        if (invalid != null) {
            ex.json(400, ChatCompletions.error("invalid_request_error", invalid, 400));
            return;
        }
        Violation violation = state.options.lenientRequests() ? null : strictCheck(operation, body);
        if (violation != null) {
            ex.json(400, violation.body());
            return;
        }
        FakeReply reply = nextReply(operation, body);
        ex.after(reply.latency() != null ? reply.latency() : state.options.latency(), () -> answer(ex, operation, reply));
    }

    private static String validate(String operation, JsonNode body) {
        if (!body.isObject()) {
            return "the body must be a JSON object";
        }
        return switch (operation) {
            case "chat/completions" -> body.path("messages").isArray() ? null : "'messages' is a required property";
            case "responses" -> body.has("input") ? null : "'input' is a required property";
            default -> {
                List<String> inputs = Embeddings.inputs(body);
                yield inputs.isEmpty() ? "'input' is a required property"
                        : inputs.size() > Embeddings.MAX_INPUTS ? "Too many inputs. The max number of inputs is 2048."
                        : null;
            }
        };
    }

    /**
     * Whether an Azure classic {@code api-version} has the Responses API: the previews from 2025-03-01-preview
     * on (no GA dated version has it; the v1 routes do). Others get Azure's 404 "Resource not found".
     */
    static boolean hasResponses(String apiVersion) {
        return apiVersion != null && apiVersion.matches("\\d{4}-\\d{2}-\\d{2}-preview")
                && apiVersion.compareTo("2025-03-01-preview") >= 0;
    }

    /** What a real endpoint would refuse before inference (skipped by {@code FakeOptions.lenient()}). */
    private static Violation strictCheck(String operation, JsonNode body) {
        return switch (operation) {
            case "chat/completions" -> ChatRequestRules.check(body);
            case "responses" -> ResponsesRequestRules.check(body);
            default -> null;
        };
    }

    /** The reply of the route whose marker the request's system instructions contain, if any is left. */
    private FakeReply routedReply(String operation, JsonNode body) {
        if (state.routes.isEmpty() || operation.equals("embeddings")) {
            return null;
        }
        String system = systemText(body);
        for (var route : state.routes.entrySet()) {
            if (system.contains(route.getKey())) {
                FakeReply reply = route.getValue().poll();
                if (reply != null) {
                    return reply;
                }
            }
        }
        return null;
    }

    private static String systemText(JsonNode body) {
        StringBuilder text = new StringBuilder(body.path("instructions").asText(""));
        JsonNode messages = body.has("messages") ? body.path("messages") : body.path("input");
        for (JsonNode message : messages) {
            String role = message.path("role").asText("");
            if (role.equals("system") || role.equals("developer")) {
                text.append('\n').append(message.path("content").isTextual() ? message.path("content").asText()
                        : message.path("content").toString());
            }
        }
        return text.toString();
    }

    private FakeReply nextReply(String operation, JsonNode body) {
        FakeReply routed = routedReply(operation, body);
        if (routed != null) {
            return routed;
        }
        if (state.strict && state.script.isEmpty()) {
            return new FakeReply.Error(500, "fake_script_exhausted",
                    "strict fake: no scripted reply left for this " + operation + " request", null, null);
        }
        FakeReply head = state.script.peek();
        boolean modelReply = head instanceof FakeReply.Text || head instanceof FakeReply.ToolCalls;
        // embeddings have no text answer: leave scripted model answers for the next chat call
        if (head != null && !(operation.equals("embeddings") && modelReply)) {
            FakeReply polled = state.script.poll();
            if (polled != null) {
                return polled;
            }
        }
        return switch (operation) {
            case "responses" -> DemoBrain.answer(Responses.asChat(body));
            case "embeddings" -> FakeReply.text("");
            default -> DemoBrain.answer(body);
        };
    }

    private void answer(Exchange ex, String operation, FakeReply reply) {
        if (ex.writeNonCompletion(reply)) {
            return;
        }
        boolean stream = ex.request().path("stream").asBoolean(false);
        int dropAfter = -1;
        int malformedAt = -1;
        FakeReply inner = reply;
        if (reply instanceof FakeReply.DropMidStream d) {
            inner = d.reply();
            dropAfter = d.afterChunks();
            if (!stream) {
                ex.response().reset();
                return;
            }
        } else if (reply instanceof FakeReply.MalformedChunk m) {
            inner = m.reply();
            malformedAt = m.afterChunks();
            if (!stream) {
                ex.response().setStatusCode(200).putHeader("content-type", "application/json").end("{\"id\": \"x\", [");
                return;
            }
        }
        switch (operation) {
            case "embeddings" -> ex.json(200, Embeddings.response(ex.request(), ex.model(), Embeddings.inputs(ex.request())));
            case "responses" -> {
                if (stream) {
                    new StreamWriter(ex, Responses.events(ex.request(), ex.model(), inner), state.options.chunkDelay(),
                            dropAfter, malformedAt).start();
                } else {
                    ex.json(200, Responses.response(ex.request(), ex.model(), inner));
                }
            }
            default -> {
                if (stream) {
                    new StreamWriter(ex, ChatCompletions.chunks(ex.request(), ex.model(), inner, azureShape(ex)),
                            state.options.chunkDelay(), dropAfter, malformedAt).start();
                } else {
                    ex.json(200, ChatCompletions.completion(ex.request(), ex.model(), inner, ex.azure()));
                }
            }
        }
    }

    private ChatCompletions.AzureShape azureShape(Exchange ex) {
        if (!ex.azure()) {
            return ChatCompletions.AzureShape.NONE;
        }
        return state.options.azureAsyncFilter() ? ChatCompletions.AzureShape.ASYNC_FILTER : ChatCompletions.AzureShape.DEFAULT;
    }

    private static JsonNode parseBody(Buffer buf) {
        if (buf == null || buf.length() == 0) {
            return ModelJson.object();
        }
        try {
            return ModelJson.parse(buf.getBytes());
        } catch (IllegalArgumentException e) {
            return TextNode.valueOf(buf.toString());
        }
    }

    static Map<String, String> headers(HttpServerRequest req) {
        Map<String, String> h = new LinkedHashMap<>();
        req.headers().forEach(e -> h.putIfAbsent(e.getKey().toLowerCase(Locale.ROOT), e.getValue()));
        return h;
    }

    /** Encodes the recorded requests for {@code GET /_fake/requests}. */
    static ArrayNode recordedJson(FakeState state) {
        ArrayNode arr = ModelJson.array();
        state.recorded.list().forEach(r -> arr.add(ScriptCodec.recorded(r)));
        return arr;
    }
}
