package dev.berth.deploy;

import static dev.berth.deploy.Api.admin;
import static dev.berth.deploy.Api.as;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * One tenant's CPU-heavy runs must not stall another tenant (issue 14, point 6). Tenant A runs
 * {@value #DEFAULT_RUNS} runs at once, again and again, on agents with large client-tool schemas
 * (each run's context is token-counted and its request serialised: about a megabyte of JSON),
 * and defines new versions of those agents as it goes (a new version is counted afresh). Tenant B
 * meanwhile reads its own session, a light request; its latency with and without A's load is
 * printed and the rise must stay small.
 *
 * <p>CI runs the size above; a bigger run (more runs of A, more samples of B, a faster pace) is
 * <pre>
 * mvn -B -pl deploy -am verify -Dtest=NoisyNeighbourTest -Dsurefire.failIfNoSpecifiedTests=false -DskipITs \
 *     -Dberth.test.noisy.runs=16 -Dberth.test.noisy.samples=400 -Dberth.test.noisy.pace-ms=500
 * </pre>
 * The schemas stay inside the documented limits: {@value #TOOLS} tools of about
 * {@value #SCHEMA_CHARS} characters each (one agent definition is under the 1 MiB body limit).
 */
@QuarkusTest
@QuarkusTestResource(value = BerthTestResource.class, restrictToAnnotatedClass = false)
class NoisyNeighbourTest {
    /** A plain client for the load and the samples: RestAssured's own JSON work would be much of the load. */
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    static final int DEFAULT_RUNS = 8;
    static final int TOOLS = 30;
    static final int SCHEMA_CHARS = 30_000;
    private static final int RUNS = Integer.getInteger("berth.test.noisy.runs", DEFAULT_RUNS);
    private static final int SAMPLES = Integer.getInteger("berth.test.noisy.samples", 60);
    /** Each of A's clients starts a turn at most this often (0: at once after the last). */
    /** Every this many turns a client of A defines a new version of its agent (0: never). */
    private static final int NEW_VERSION_EVERY = Integer.getInteger("berth.test.noisy.new-version-every", 2);
    private static final Duration PACE = Duration.ofMillis(Long.getLong("berth.test.noisy.pace-ms", 0));
    /**
     * B's median under A's load may rise by this much, or to this multiple of itself, whichever is
     * more; its p95 by {@link #MAX_P95_RISE}. Chosen from measurements on a 2-core machine shared with
     * other builds (load average about 20): main rose by 713 ms (median) and 3,651 ms (p95), held by
     * event loops busy counting schemas for seconds; with the work on the CPU pool by 125-224 ms and
     * 450-800 ms, which is the machine's CPU shared, not a stalled loop.
     */
    private static final Duration MAX_MEDIAN_RISE = Duration.ofMillis(400);
    private static final int MAX_MEDIAN_FACTOR = 3;
    private static final Duration MAX_P95_RISE = Duration.ofMillis(1500);
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    @TestHTTPResource
    URL base;

    @Test
    void heavyRunsOfOneTenantLeaveAnotherTenantsLatencyAlmostUnchanged() throws Exception {
        // Given tenant A with agents whose client tools have large schemas, and tenant B with a light session
        String keyA = newTenant("noisy-a");
        String keyB = newTenant("quiet-b");
        Api.defineAgent(keyB, "light");
        String sessionB = Api.openSession(keyB, "light", "bob");
        List<String> sessionsA = new ArrayList<>();
        List<List<String>> definitions = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            // Written once, so that the test's own JSON work is not part of the load
            definitions.add(List.of(heavyAgent("heavy-" + i, 0), heavyAgent("heavy-" + i, 1)));
            define(keyA, "heavy-" + i, definitions.get(i).getFirst());
            sessionsA.add(Api.openSession(keyA, "heavy-" + i, "alice-" + i));
        }
        Latency before = sample(keyB, sessionB);

        // When A runs its heavy runs at once, again and again, while B reads its session
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger turns = new AtomicInteger();
        ExecutorService load = Executors.newFixedThreadPool(RUNS);
        List<Future<?>> workers = new ArrayList<>();
        Latency during;
        try {
            for (int i = 0; i < RUNS; i++) {
                int worker = i;
                workers.add(load.submit(() -> {
                    heavyTurns(keyA, worker, definitions.get(worker), sessionsA.get(worker), stop, turns);
                    return null;
                }));
            }
            awaitTurns(turns, RUNS);
            during = sample(keyB, sessionB);
        } finally {
            stop.set(true);
            load.shutdown();
        }
        assertThat(load.awaitTermination(2, TimeUnit.MINUTES)).isTrue();
        for (Future<?> worker : workers) {
            worker.get(); // a failed turn of A fails the test: the load must have been real
        }

        // Then B's latency rose by little
        System.out.printf("noisy-neighbour: tenant A %d runs at once (%d tools x %d chars), %d turns done;"
                        + " tenant B latency without A: %s; with A: %s%n",
                RUNS, TOOLS, SCHEMA_CHARS, turns.get(), before, during);
        Duration bound = max(before.median().plus(MAX_MEDIAN_RISE), before.median().multipliedBy(MAX_MEDIAN_FACTOR));
        assertThat(during.median()).as("B's median latency under A's load").isLessThanOrEqualTo(bound);
        assertThat(during.p95()).as("B's p95 latency under A's load").isLessThanOrEqualTo(before.p95().plus(MAX_P95_RISE));
    }

    /**
     * One worker of tenant A: turns on its session, every other one after a new version of its
     * agent (alternating between two definitions: each new version is counted afresh).
     */
    private void heavyTurns(String key, int worker, List<String> definitions, String session,
            AtomicBoolean stop, AtomicInteger turns) throws Exception {
        String agent = "heavy-" + worker;
        long next = System.nanoTime();
        for (int turn = 1; !stop.get(); turn++) {
            if (NEW_VERSION_EVERY > 0 && turn % NEW_VERSION_EVERY == 0) {
                call(key, "PUT", "/v1/agents/" + agent, definitions.get(turn / NEW_VERSION_EVERY % 2), 201);
                call(key, "POST", "/v1/sessions/" + session + "/upgrade", "{}", 200);
            }
            call(key, "POST", "/v1/sessions/" + session + "/messages?wait=60", "{\"text\":\"ping " + turn + "\"}", 200);
            turns.incrementAndGet();
            next += PACE.toNanos();
            LockSupport.parkNanos(next - System.nanoTime()); // the pace of a busy client, not a synchronisation
        }
    }

    private static void awaitTurns(AtomicInteger turns, int atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (turns.get() < atLeast && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(50); // a test driver's poll: the load is a black box here
        }
        assertThat(turns.get()).as("turns of tenant A before sampling").isGreaterThanOrEqualTo(atLeast);
    }

    /** Sends a request and checks its status; the answer's body is not read as JSON. */
    private void call(String key, String method, String path, String body, int status) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.toURI().resolve(path))
                .header("Authorization", "Bearer " + key).timeout(Duration.ofSeconds(90));
        if (body != null) {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        HttpResponse<byte[]> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).as(method + " " + path).isEqualTo(status);
    }

    /** B's latency of reading its own session, one request every 20 ms. */
    private Latency sample(String key, String session) throws Exception {
        long[] millis = new long[SAMPLES];
        for (int i = 0; i < SAMPLES; i++) {
            long start = System.nanoTime();
            call(key, "GET", "/v1/sessions/" + session, null, 200);
            millis[i] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            TimeUnit.MILLISECONDS.sleep(20);
        }
        Arrays.sort(millis);
        return new Latency(Duration.ofMillis(millis[SAMPLES / 2]), Duration.ofMillis(millis[SAMPLES * 95 / 100]),
                Duration.ofMillis(millis[SAMPLES - 1]));
    }

    private record Latency(Duration median, Duration p95, Duration max) {
        @Override
        public String toString() {
            return "median " + median.toMillis() + " ms, p95 " + p95.toMillis() + " ms, max " + max.toMillis() + " ms";
        }
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static String newTenant(String prefix) {
        return admin().body(Map.of("name", prefix + "-" + UUID.randomUUID())).post("/v1/tenants").then()
                .statusCode(201).extract().path("adminKey.key");
    }

    private static void define(String key, String name, String definition) {
        as(key).body(definition).put("/v1/agents/" + name).then().statusCode(201);
    }

    /** An agent definition with {@link #TOOLS} client tools of about {@link #SCHEMA_CHARS} characters each. */
    private static String heavyAgent(String name, int variant) {
        List<Map<String, Object>> tools = new ArrayList<>();
        for (int t = 0; t < TOOLS; t++) {
            tools.add(Map.of("name", "form_" + t, "description", "Fills in form number " + t,
                    "parameters", schema(new Random(31L * name.hashCode() + 7L * variant + t))));
        }
        try {
            return JSON.writeValueAsString(Map.of("instructions", "You are a test agent.", "model", "test-model",
                    "clientTools", tools));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A JSON schema of about {@link #SCHEMA_CHARS} characters: many properties with prose descriptions. */
    private static Map<String, Object> schema(Random random) {
        String[] words = {"account", "balance", "customer", "delivery", "invoice", "quantity", "address", "street",
                "postcode", "country", "telephone", "reference", "signature", "approval", "warehouse", "shipment"};
        Map<String, Object> properties = new LinkedHashMap<>();
        int chars = 0;
        for (int p = 0; chars < SCHEMA_CHARS - 400; p++) {
            StringBuilder description = new StringBuilder();
            while (description.length() < 300) {
                description.append(words[random.nextInt(words.length)]).append(random.nextInt(1000)).append(' ');
            }
            properties.put("field_" + p, Map.of("type", "string", "description", description.toString().trim()));
            chars += description.length() + 50;
        }
        return Map.of("type", "object", "properties", properties);
    }
}
