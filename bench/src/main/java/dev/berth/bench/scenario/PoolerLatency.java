package dev.berth.bench.scenario;

import dev.berth.bench.http.BerthClient;
import dev.berth.bench.http.TurnResult;
import dev.berth.bench.report.Figure;
import dev.berth.bench.report.Section;
import dev.berth.bench.stats.LatencySummary;
import dev.berth.model.fake.FakeModelServer;
import dev.berth.model.fake.FakeOptions;
import dev.berth.testsupport.BerthProcess;
import dev.berth.testsupport.PgBouncer;
import dev.berth.testsupport.PostgresDatabase;
import io.vertx.mutiny.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Scenario 8: {@code ?wait} latency and SSE delivery behind PgBouncer in transaction mode, against
 * PostgreSQL directly (ADR 0026). Three set-ups, each a fresh database and one Berth process with
 * a 0 ms fake model: direct; PgBouncer with {@code BERTH_DB_DIRECT_URL} (LISTEN direct); PgBouncer
 * without it (polling every {@code berth.db.poll-interval}, 500 ms). Per set-up: warm-up turns,
 * then timed three-step turns with {@code ?wait}, then timed turns followed on a stream opened
 * before the input is sent: the time from sending the input to the turn's final answer arriving
 * on the stream.
 */
public final class PoolerLatency {
    private static final int WARMUP = 200;
    private static final HttpClient SSE = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private PoolerLatency() {
    }

    public static Section run(Vertx vertx, int turns) {
        Section s = new Section("8-pgbouncer", "8. ?wait and SSE behind PgBouncer (transaction mode) vs direct")
                .config("turns per set-up", turns).config("warm-up turns per set-up", WARMUP)
                .config("model", "fake, 0 ms").config("pgbouncer pool", PgBouncer.POOL_SIZE + " server connections");
        if (PgBouncer.binary().isEmpty()) {
            return s.note("pgbouncer is not installed (apt-get install pgbouncer): not measured.");
        }
        FakeModelServer fake = FakeModelServer.startAndAwait(vertx, FakeOptions.defaults());
        try {
            Map<String, double[]> p50 = new LinkedHashMap<>();
            for (String setup : List.of("direct", "pgbouncer", "pgbouncer-polling")) {
                p50.put(setup, measure(s, setup, fake, turns));
            }
            double waitDelta = p50.get("pgbouncer")[0] - p50.get("direct")[0];
            double sseDelta = p50.get("pgbouncer")[1] - p50.get("direct")[1];
            s.figure(Figure.atMost("pgbouncer minus direct: ?wait p50", waitDelta, "ms", 50, "< 50 ms"));
            s.figure(Figure.atMost("pgbouncer minus direct: SSE p50", sseDelta, "ms", 50, "< 50 ms"));
        } finally {
            fake.close();
        }
        return s.note("?wait: POST /v1/sessions/{id}/messages?wait=60 until the settled run arrives. SSE: from"
                + " sending the input to the second assistant.message (the final answer) arriving on a stream of"
                + " the session opened before. pgbouncer-polling has no direct URL: its figures include up to two"
                + " poll intervals (the claim and the wake-up).");
    }

    /** Measures one set-up; returns its {?wait p50, SSE p50} in ms. */
    private static double[] measure(Section s, String setup, FakeModelServer fake, int turns) {
        try (PostgresDatabase db = PostgresDatabase.create();
                PgBouncer bouncer = setup.startsWith("pgbouncer") ? PgBouncer.start(db) : null;
                BerthProcess berth = BerthProcess.create("bench-" + setup, db.url(), fake.openAiBaseUrl(),
                        env(setup, db, bouncer)).start()) {
            BerthClient client = new BerthClient(berth.baseUrl(), BerthProcess.ADMIN_KEY);
            client.putAgent(ScenarioContext.AGENT, List.of("current_time"));
            UUID session = client.openSession(ScenarioContext.AGENT, setup);
            for (int i = 0; i < WARMUP; i++) {
                client.turn(session, ScenarioContext.TEXT);
            }
            long[] waits = new long[turns];
            for (int i = 0; i < turns; i++) {
                TurnResult turn = client.turn(session, ScenarioContext.TEXT);
                waits[i] = turn.clientNanos();
            }
            long[] streamed = new long[turns];
            for (int i = 0; i < turns; i++) {
                streamed[i] = streamedTurn(client, berth.baseUrl(), setup + "-sse-" + i);
            }
            LatencySummary wait = LatencySummary.ofNanos(waits);
            LatencySummary sse = LatencySummary.ofNanos(streamed);
            s.figure(Figure.of(setup + ": ?wait p50", wait.p50Ms(), "ms"));
            s.figure(Figure.of(setup + ": ?wait p95", wait.p95Ms(), "ms"));
            s.figure(Figure.of(setup + ": SSE p50", sse.p50Ms(), "ms"));
            s.figure(Figure.of(setup + ": SSE p95", sse.p95Ms(), "ms"));
            return new double[] {wait.p50Ms(), sse.p50Ms()};
        }
    }

    private static Map<String, String> env(String setup, PostgresDatabase db, PgBouncer bouncer) {
        Map<String, String> env = new LinkedHashMap<>();
        if (bouncer != null) {
            env.put("BERTH_DB_URL", bouncer.url());
            env.put("BERTH_DB_POOLER", "transaction");
        }
        if ("pgbouncer".equals(setup)) {
            env.put("BERTH_DB_DIRECT_URL", db.url());
        }
        return env;
    }

    /** Opens a stream of a new session, sends input, and returns the nanoseconds until the final answer arrives. */
    private static long streamedTurn(BerthClient client, String base, String actor) {
        UUID session = client.openSession(ScenarioContext.AGENT, actor);
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/v1/sessions/" + session + "/stream?deltas=false"))
                .header("Authorization", "Bearer " + BerthProcess.ADMIN_KEY).header("Accept", "text/event-stream")
                .build();
        try {
            HttpResponse<Stream<String>> response = SSE.send(request, HttpResponse.BodyHandlers.ofLines());
            try (Stream<String> lines = response.body()) {
                long sent = System.nanoTime();
                client.submit(session, ScenarioContext.TEXT);
                Iterator<String> it = lines.iterator();
                int answers = 0;
                while (it.hasNext()) {
                    String line = it.next();
                    if (line.startsWith("event:") && line.substring(6).trim().equals("assistant.message")
                            && ++answers == 2) {
                        return System.nanoTime() - sent;
                    }
                }
                throw new IllegalStateException("the stream ended before the final answer");
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
