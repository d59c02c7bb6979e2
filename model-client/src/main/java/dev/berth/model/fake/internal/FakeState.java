package dev.berth.model.fake.internal;

import dev.berth.model.fake.FakeOptions;
import dev.berth.model.fake.FakeReply;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/** The mutable state of a fake server, shared by its handler and its public API. Thread safe. */
public final class FakeState {
    public final FakeOptions options;
    public final ConcurrentLinkedQueue<FakeReply> script = new ConcurrentLinkedQueue<>();
    /** Scripts served to requests whose system instructions contain the key (parallel agents). */
    public final java.util.Map<String, ConcurrentLinkedQueue<FakeReply>> routes = new ConcurrentHashMap<>();
    public final RequestRecord recorded;
    public final Set<String> issuedTokens = ConcurrentHashMap.newKeySet();
    public final AtomicInteger tokenRequests = new AtomicInteger();
    /** When set, a model request finding the script empty is an error, not a demo answer. */
    public volatile boolean strict;
    /** Wait before answering a WebSocket-mode message; null: the options' {@code latency}, as over HTTP. */
    public volatile java.time.Duration socketLatency;
    /** False: WebSocket upgrades are refused (404), as by an endpoint without WebSocket mode. */
    public volatile boolean webSockets = true;
    /** Open WebSocket-mode connections, so a test can count or drop them. */
    public final Set<io.vertx.core.http.ServerWebSocket> openSockets = ConcurrentHashMap.newKeySet();

    public FakeState(FakeOptions options) {
        this.options = options;
        this.recorded = new RequestRecord(options.recordLimit());
    }

    public void reset() {
        script.clear();
        routes.clear();
        recorded.clear();
        tokenRequests.set(0);
    }
}
