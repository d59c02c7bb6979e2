package dev.berth.model.fake.internal;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.time.Duration;
import java.util.List;

/**
 * Writes server-sent events one by one, optionally pausing between them, dropping the
 * connection after some of them, or corrupting one (chaos).
 */
public final class StreamWriter {
    private final Exchange ex;
    private final List<String> events;
    private final Duration delay;
    private final int dropAfter;
    private final int malformedAt;

    /**
     * @param events      complete SSE blocks, each ending in a blank line
     * @param dropAfter   reset the connection after this many events, or -1
     * @param malformedAt replace the event at this index by broken JSON, or -1
     */
    public StreamWriter(Exchange ex, List<String> events, Duration delay, int dropAfter, int malformedAt) {
        this.ex = ex;
        this.events = events;
        this.delay = delay;
        this.dropAfter = dropAfter;
        this.malformedAt = malformedAt;
    }

    public static String data(String json) {
        return "data: " + json + "\n\n";
    }

    public static String event(String type, String json) {
        return "event: " + type + "\ndata: " + json + "\n\n";
    }

    public void start() {
        HttpServerResponse r = ex.response();
        r.setStatusCode(200).setChunked(true).putHeader("content-type", "text/event-stream; charset=utf-8")
                .putHeader("cache-control", "no-cache");
        if (ex.azure()) {
            r.putHeader("apim-request-id", ChatCompletions.newId(""));
        }
        if (delay.isZero() && dropAfter < 0 && malformedAt < 0) {
            // the common fast path: one write, the client still parses event by event
            r.end(Buffer.buffer(String.join("", events)));
            return;
        }
        next(0);
    }

    private void next(int i) {
        HttpServerResponse r = ex.response();
        if (r.closed() || r.ended()) {
            // the client went away (or cancelled): stop writing
            return;
        }
        if (i == dropAfter) {
            r.reset();
            return;
        }
        if (i == events.size()) {
            r.end();
            return;
        }
        String e = i == malformedAt ? "data: {\"id\": \"chatcmpl-broken\", \"choices\": [ {\"delta\": \n\n" : events.get(i);
        // continue once the bytes are on the socket, so a following drop cannot discard them
        r.write(Buffer.buffer(e)).onComplete(ar -> {
            if (delay.isZero()) {
                next(i + 1);
            } else {
                ex.vertx().setTimer(Math.max(1, delay.toMillis()), id -> next(i + 1));
            }
        });
    }
}
