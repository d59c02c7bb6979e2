package dev.berth.bench.memory;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.bench.http.BerthClient;
import dev.berth.bench.stats.LatencySummary;
import dev.berth.model.fake.FakeModelServer;
import dev.berth.model.fake.FakeOptions;
import dev.berth.testsupport.BerthProcess;
import dev.berth.testsupport.PostgresDatabase;
import io.vertx.mutiny.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * The memory benchmark (issue 6), over Berth's API against a real process, a fresh database and
 * the fake model at 0 ms:
 * <ol>
 * <li>the time of one turn (a model step at 0 ms: context assembly, model call, commit) in
 *     sessions of 10, 1,000 and 10,000 events; the events are seeded in the database, the
 *     longer sessions with a rolling summary as compaction leaves them;</li>
 * <li>the latency of {@code POST /v1/memories/search} (top 5) among 10,000 memories of one
 *     namespace, including the query's embedding call to the fake model.</li>
 * </ol>
 * Usage: {@code MemoryBench [--out dir] [--turns N] [--searches N] [--records N]}.
 */
public final class MemoryBench {
    private static final int[] SIZES = {10, 1_000, 10_000};
    /** Events kept after the summary in the seeded long sessions (steady state after compactions). */
    private static final int TAIL = 100;
    private static final int DIMENSIONS = 64; // the fake model's embedding size

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        int turns = Integer.parseInt(options.getOrDefault("turns", "40"));
        int searches = Integer.parseInt(options.getOrDefault("searches", "300"));
        int records = Integer.parseInt(options.getOrDefault("records", "10000"));
        Path out = Path.of(options.getOrDefault("out", "bench/results"));
        Vertx vertx = Vertx.vertx();
        StringBuilder report = new StringBuilder("# Memory benchmark\n\n")
                .append("Started ").append(Instant.now()).append(", ").append(Runtime.getRuntime().availableProcessors())
                .append(" CPUs, fake model at 0 ms, Berth as a process on a fresh database.\n\n");
        try (PostgresDatabase database = PostgresDatabase.create();
                FakeModelServer fake = FakeModelServer.startAndAwait(vertx, FakeOptions.defaults());
                BerthProcess berth = BerthProcess.create("memory-bench", database.url(), fake.openAiBaseUrl(),
                        Map.of()).start()) {
            BerthClient client = new BerthClient(berth.baseUrl(), BerthProcess.ADMIN_KEY);
            client.call("PUT", "/v1/agents/memory-bench", Map.of("instructions", "You are a benchmark agent.",
                    "model", "gpt-4o", "tools", List.of()), 201, 200);
            report.append("## Context assembly: one turn in sessions of growing length\n\n")
                    .append("| events in the session | turns | p50 ms | p95 ms | mean ms |\n|---|---|---|---|---|\n");
            double smallest = 0;
            double largest = 0;
            for (int size : SIZES) {
                UUID session = client.openSession("memory-bench", "bench-actor-" + size);
                seedEvents(database, session, size);
                LatencySummary turnsSummary = turns(client, session, turns);
                report.append(String.format(Locale.ROOT, "| %,d | %d | %.1f | %.1f | %.1f |%n", size, turns,
                        turnsSummary.p50Ms(), turnsSummary.p95Ms(), turnsSummary.meanMs()));
                System.out.printf(Locale.ROOT, "session of %,d events: turn p50 %.1f ms, p95 %.1f ms%n", size,
                        turnsSummary.p50Ms(), turnsSummary.p95Ms());
                smallest = size == SIZES[0] ? turnsSummary.p50Ms() : smallest;
                largest = turnsSummary.p50Ms();
            }
            report.append(String.format(Locale.ROOT, "%nLargest / smallest (p50): **%.2f** (target: at most 1.5).%n%n",
                    largest / smallest));

            seedMemories(database, records);
            Searcher searcher = new Searcher(java.net.http.HttpClient.newHttpClient(), berth.baseUrl());
            LatencySummary[] measured = searches(searcher, searches);
            LatencySummary search = measured[0];
            LatencySummary retrieval = measured[1];
            LatencySummary cold = coldSearches(client, 10);
            report.append("## Retrieval: top 5 among ").append(String.format(Locale.ROOT, "%,d", records))
                    .append(" memories of one namespace\n\n| case | searches | p50 ms | p95 ms | max ms |\n|---|---|---|---|---|\n")
                    .append(String.format(Locale.ROOT, "| retrieval in the server (version check + ranking), cached vectors | %d | %.2f | %.2f | %.2f |%n",
                            retrieval.count(), retrieval.p50Ms(), retrieval.p95Ms(), retrieval.maxMs()))
                    .append(String.format(Locale.ROOT, "| whole request (HTTP + embedding call + retrieval), cached vectors | %d | %.1f | %.1f | %.1f |%n",
                            search.count(), search.p50Ms(), search.p95Ms(), search.maxMs()))
                    .append(String.format(Locale.ROOT, "| first search after a change (reload) | %d | %.1f | %.1f | %.1f |%n",
                            cold.count(), cold.p50Ms(), cold.p95Ms(), cold.maxMs()))
                    .append("\nThe server's retrieval time is read from the `Server-Timing` header of `POST /v1/memories/search`; ")
                    .append("the whole request adds HTTP and the query's embedding call (to the fake model). ")
                    .append("After a change the process reloads the namespace's records and vectors once.\n");
            System.out.printf(Locale.ROOT, "search among %,d: retrieval p50 %.2f ms, p95 %.2f ms; whole request p50 %.1f ms,"
                    + " p95 %.1f ms (after a change: p50 %.1f ms)%n", records, retrieval.p50Ms(), retrieval.p95Ms(),
                    search.p50Ms(), search.p95Ms(), cold.p50Ms());
        } finally {
            vertx.closeAndAwait();
        }
        Files.createDirectories(out);
        Files.writeString(out.resolve("memory.md"), report.toString());
        System.out.println(report);
    }

    private static LatencySummary turns(BerthClient client, UUID session, int turns) {
        for (int i = 0; i < 3; i++) {
            client.turn(session, "warm-up turn " + i);
        }
        long[] nanos = new long[turns];
        for (int i = 0; i < turns; i++) {
            nanos[i] = client.turn(session, "What did we decide about item " + i + "?").clientNanos();
        }
        return LatencySummary.ofNanos(nanos);
    }

    /** End-to-end latencies, and the server's own retrieval time (Server-Timing, without the embedding call). */
    private static LatencySummary[] searches(Searcher searcher, int count) throws Exception {
        for (int i = 0; i < 20; i++) {
            searcher.search("warm up query " + i);
        }
        long[] nanos = new long[count];
        long[] retrieve = new long[count];
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            retrieve[i] = searcher.search("what does the user like about topic " + (i % 50));
            nanos[i] = System.nanoTime() - start;
        }
        return new LatencySummary[] {LatencySummary.ofNanos(nanos), LatencySummary.ofNanos(retrieve)};
    }

    /** Searches over plain HTTP, to read the Server-Timing header; returns the server's retrieval nanos. */
    private record Searcher(java.net.http.HttpClient http, String baseUrl) {
        long search(String query) throws Exception {
            String body = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(Map.of(
                    "namespace", "actors/bench-retrieval", "query", query, "topK", 5));
            java.net.http.HttpResponse<String> response = http.send(java.net.http.HttpRequest
                    .newBuilder(java.net.URI.create(baseUrl + "/v1/memories/search"))
                    .header("Authorization", "Bearer " + BerthProcess.ADMIN_KEY)
                    .header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200 || response.body().equals("[]")) {
                throw new IllegalStateException("search answered " + response.statusCode() + ": " + response.body());
            }
            String timing = response.headers().firstValue("Server-Timing").orElseThrow();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("retrieve;dur=([0-9.]+)").matcher(timing);
            if (!m.find()) {
                throw new IllegalStateException("no retrieval timing in " + timing);
            }
            return (long) (Double.parseDouble(m.group(1)) * 1e6);
        }
    }

    /** Each search follows a write to the namespace, so every process must reload its vectors. */
    private static LatencySummary coldSearches(BerthClient client, int count) {
        long[] nanos = new long[count];
        for (int i = 0; i < count; i++) {
            client.call("POST", "/v1/memories", Map.of("namespace", "actors/bench-retrieval", "kind", "fact",
                    "content", "A new fact number " + i), 201);
            long start = System.nanoTime();
            search(client, "new fact " + i);
            nanos[i] = System.nanoTime() - start;
        }
        return LatencySummary.ofNanos(nanos);
    }

    private static void search(BerthClient client, String query) {
        JsonNode hits = client.call("POST", "/v1/memories/search", Map.of("namespace", "actors/bench-retrieval",
                "query", query, "topK", 5), 200);
        if (hits.size() == 0) {
            throw new IllegalStateException("a search found nothing");
        }
    }


    /** Seeds alternating user and assistant messages; long sessions get a summary before their last TAIL events. */
    private static void seedEvents(PostgresDatabase database, UUID session, int size) throws SQLException {
        String sql = """
                insert into events (tenant_id, session_id, seq, type, payload)
                select s.tenant_id, s.id, g,
                       case when g = ? then 'context.compacted'
                            when g % 2 = 1 then 'user.message' else 'assistant.message' end,
                       case when g = ? then
                                jsonb_build_object('summary', 'The user and the assistant planned items 1 to '
                                    || g || ' of a long project.', 'fromSeq', 1, 'throughSeq', g - 1, 'events', g - 1)
                            when g % 2 = 1 then jsonb_build_object('text', 'Please note item ' || g
                                    || ': the delivery of part ' || g || ' moves to next week, tell the team.')
                            else jsonb_build_object('text', 'Noted item ' || g || '. The team will be told today.',
                                    'toolCalls', '[]'::jsonb, 'final', true) end
                  from sessions s, generate_series(1, ?) g
                 where s.id = ?""";
        int summaryAt = size > TAIL * 2 ? size - TAIL : -1; // -1: no summary
        try (Connection connection = database.connect()) {
            try (PreparedStatement insert = connection.prepareStatement(sql)) {
                insert.setInt(1, summaryAt);
                insert.setInt(2, summaryAt);
                insert.setInt(3, size);
                insert.setObject(4, session);
                insert.executeUpdate();
            }
            try (PreparedStatement update = connection.prepareStatement(
                    "update sessions set last_seq = ? where id = ?")) {
                update.setLong(1, size);
                update.setObject(2, session);
                update.executeUpdate();
            }
        }
    }

    /** Seeds memories with random unit vectors of the fake's size, in one namespace of the operator tenant. */
    private static void seedMemories(PostgresDatabase database, int count) throws SQLException {
        SplittableRandom random = new SplittableRandom(42);
        try (Connection connection = database.connect()) {
            connection.setAutoCommit(false);
            UUID tenant;
            try (var rows = connection.createStatement().executeQuery("select id from tenants where operator")) {
                rows.next();
                tenant = rows.getObject(1, UUID.class);
            }
            try (PreparedStatement insert = connection.prepareStatement("""
                    insert into memories (id, tenant_id, namespace, kind, key, content, actor_id, embedding, updated_at)
                    values (?, ?, 'actors/bench-retrieval', 'fact', null, ?, 'bench-retrieval', ?,
                            now() - make_interval(secs => ?))""")) {
                for (int i = 0; i < count; i++) {
                    insert.setObject(1, UUID.randomUUID());
                    insert.setObject(2, tenant);
                    insert.setString(3, "Seeded memory number " + i + " about topic " + (i % 50));
                    Array vector = connection.createArrayOf("float4", unitVector(random));
                    insert.setArray(4, vector);
                    insert.setDouble(5, random.nextDouble() * 86_400 * 90);
                    insert.addBatch();
                    if (i % 1000 == 999) {
                        insert.executeBatch();
                    }
                }
                insert.executeBatch();
            }
            connection.commit();
        }
    }

    private static Float[] unitVector(SplittableRandom random) {
        Float[] v = new Float[DIMENSIONS];
        double norm = 0;
        for (int i = 0; i < DIMENSIONS; i++) {
            double x = random.nextGaussian();
            v[i] = (float) x;
            norm += x * x;
        }
        for (int i = 0; i < DIMENSIONS; i++) {
            v[i] = (float) (v[i] / Math.sqrt(norm));
        }
        return v;
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new java.util.HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        return options;
    }

    private MemoryBench() {
    }
}
