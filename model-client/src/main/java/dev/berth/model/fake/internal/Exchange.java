package dev.berth.model.fake.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.model.fake.FakeReply;
import dev.berth.model.internal.ModelJson;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import java.time.Duration;
import java.util.Map;

/**
 * One model request being answered: the parsed request, the route facts and the raw
 * response. Writes the common reply kinds (errors, raw, drop) after the reply's latency.
 *
 * @param azure whether the route is an Azure one (adds content-filter annotations)
 * @param model the model to echo (body {@code model}, or the deployment of a classic route)
 */
public record Exchange(Vertx vertx, JsonNode request, boolean azure, String model, HttpServerResponse response) {

    /** Runs {@code action} after {@code latency} (at once when zero). */
    public void after(Duration latency, Runnable action) {
        if (latency == null || latency.isZero()) {
            action.run();
        } else {
            vertx.setTimer(Math.max(1, latency.toMillis()), id -> action.run());
        }
    }

    /** Writes replies that are not model output; returns false for text and tool-call replies. */
    public boolean writeNonCompletion(FakeReply reply) {
        switch (reply) {
            case FakeReply.Error e -> {
                e.headers().forEach(response::putHeader);
                json(e.status(), ChatCompletions.error(e.code(), e.message(), e.status()));
                return true;
            }
            case FakeReply.Raw raw -> {
                raw.headers().forEach(response::putHeader);
                response.setStatusCode(raw.status()).end(raw.body());
                return true;
            }
            case FakeReply.Drop d -> {
                response.reset();
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    public void json(int status, JsonNode body) {
        if (azure) {
            response.putHeader("apim-request-id", ChatCompletions.newId(""));
        }
        response.setStatusCode(status).putHeader("content-type", "application/json")
                .end(io.vertx.core.buffer.Buffer.buffer(ModelJson.bytes(body)));
    }

    public void headers(Map<String, String> headers) {
        headers.forEach(response::putHeader);
    }
}
