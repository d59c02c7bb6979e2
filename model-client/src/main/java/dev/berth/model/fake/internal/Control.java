package dev.berth.model.fake.internal;

import dev.berth.model.fake.FakeReply;
import dev.berth.model.internal.ModelJson;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;

/**
 * The fake's control endpoints: {@code POST /_fake/script}, {@code GET /_fake/requests},
 * {@code POST /_fake/reset}, {@code POST /_fake/strict} ({@code {"enabled": true|false}}).
 */
final class Control {
    private Control() {
    }

    static void handle(HttpServerRequest req, String path, Buffer buf, FakeState state) {
        var response = req.response().putHeader("content-type", "application/json");
        try {
            switch (path) {
                case "/_fake/script" -> {
                    List<FakeReply> replies = ScriptCodec.decode(ModelJson.parse(buf.getBytes()));
                    state.script.addAll(replies);
                    response.end(ModelJson.object().put("queued", replies.size()).put("pending", state.script.size())
                            .toString());
                }
                case "/_fake/strict" -> {
                    state.strict = buf.length() == 0 || ModelJson.parse(buf.getBytes()).path("enabled").asBoolean(true);
                    response.end(ModelJson.object().put("strict", state.strict).toString());
                }
                case "/_fake/requests" -> response.end(FakeHandler.recordedJson(state).toString());
                case "/_fake/reset" -> {
                    state.reset();
                    response.end("{}");
                }
                default -> notFound(req);
            }
        } catch (IllegalArgumentException e) {
            response.setStatusCode(400).end(ChatCompletions.error("invalid_script", e.getMessage(), 400).toString());
        }
    }

    static void notFound(HttpServerRequest req) {
        req.response().setStatusCode(404).putHeader("content-type", "application/json")
                .end("{\"error\":{\"code\":\"404\",\"message\":\"Resource not found\"}}");
    }
}
