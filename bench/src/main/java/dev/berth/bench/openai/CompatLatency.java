package dev.berth.bench.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.bench.harness.BerthUnderTest;
import dev.berth.bench.http.BerthClient;
import dev.berth.model.fake.FakeModelServer;
import dev.berth.model.fake.FakeOptions;
import dev.berth.model.fake.FakeReply;
import dev.berth.testsupport.BerthProcess;
import dev.berth.testsupport.PostgresDatabase;
import io.vertx.mutiny.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * What the OpenAI-compatible surface adds to a turn (ADR 0035, 0038): the same one-answer turn (the
 * fake model at 0 ms, one text answer) sent, in rotation, as the native
 * {@code POST /v1/sessions/{id}/messages?wait=60}, as {@code POST /openai/v1/responses} (answered once
 * settled), and as {@code POST /openai/v1/responses} with {@code stream: true} (read to its last event),
 * each kind continuing a session of its own; one Berth process, one client. Prints p50/p95 of each and the
 * differences to the native turn at p50.
 *
 * <p>Usage: {@code CompatLatency [turns]} (default 300, after 100 warm-up turns of each kind).
 */
public final class CompatLatency {
    private static final int WARM_UP = 100;
    private static final ObjectMapper JSON = new ObjectMapper();

    private CompatLatency() {
    }

    public static void main(String[] args) throws Exception {
        int turns = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        Vertx vertx = Vertx.vertx();
        try (FakeModelServer fake = FakeModelServer.startAndAwait(vertx, FakeOptions.defaults());
                BerthUnderTest berth = BerthUnderTest.start("bench-compat", PostgresDatabase.create(),
                        fake.openAiBaseUrl(), Map.of(), null)) {
            BerthClient client = berth.client();
            client.putAgent("compat", List.of());
            Turns turnsOf = new Turns(fake, client, berth.client().baseUrl(), BerthProcess.ADMIN_KEY);
            turnsOf.rotate(WARM_UP);
            Timings timings = turnsOf.rotate(turns);
            double nativeP50 = percentile(timings.nativeTurns, 0.5);
            System.out.printf(Locale.ROOT, "%d turns of each kind (after %d warm-up turns of each), fake model at 0 ms:%n",
                    turns, WARM_UP);
            print("native POST /v1/sessions/{id}/messages?wait=60", timings.nativeTurns, nativeP50);
            print("POST /openai/v1/responses", timings.responses, nativeP50);
            print("POST /openai/v1/responses stream:true (to response.completed)", timings.streamed, nativeP50);
        } finally {
            vertx.closeAndAwait();
        }
    }

    private static void print(String what, List<Long> nanos, double nativeP50) {
        double p50 = percentile(nanos, 0.5);
        System.out.printf(Locale.ROOT, "  %-64s p50 %6.2f ms  p95 %6.2f ms  (p50 %+6.2f ms over native)%n",
                what, p50, percentile(nanos, 0.95), p50 - nativeP50);
    }

    private static double percentile(List<Long> nanos, double p) {
        List<Long> sorted = nanos.stream().sorted().toList();
        return sorted.get(Math.min(sorted.size() - 1, (int) (sorted.size() * p))) / 1e6;
    }

    private record Timings(List<Long> nativeTurns, List<Long> responses, List<Long> streamed) {
    }

    /** One session per kind, continued turn after turn; the kinds in rotation so drift falls on all alike. */
    private static final class Turns {
        private final FakeModelServer fake;
        private final BerthClient client;
        private final String baseUrl;
        private final String key;
        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        private final UUID nativeSession;
        private final String conversation;
        private final String streamedConversation;

        Turns(FakeModelServer fake, BerthClient client, String baseUrl, String key) {
            this.fake = fake;
            this.client = client;
            this.baseUrl = baseUrl;
            this.key = key;
            this.nativeSession = client.openSession("compat", "bench");
            this.conversation = client.openSession("compat", "bench").toString();
            this.streamedConversation = client.openSession("compat", "bench").toString();
        }

        Timings rotate(int turns) throws Exception {
            Timings timings = new Timings(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
            for (int i = 0; i < turns; i++) {
                fake.enqueue(FakeReply.text("Native " + i + "."));
                long started = System.nanoTime();
                if (!client.turn(nativeSession, "Native turn " + i).completed()) {
                    throw new IllegalStateException("native turn " + i + " did not complete");
                }
                timings.nativeTurns.add(System.nanoTime() - started);
                timings.responses.add(response(conversation, "Responses turn " + i, false));
                timings.streamed.add(response(streamedConversation, "Streamed turn " + i, true));
            }
            return timings;
        }

        private long response(String session, String input, boolean stream) throws Exception {
            fake.enqueue(FakeReply.text("Answer to " + input + "."));
            byte[] body = JSON.writeValueAsBytes(Map.of("model", "compat", "input", input, "conversation", session,
                    "stream", stream));
            long started = System.nanoTime();
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/openai/v1/responses"))
                    .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
            long elapsed = System.nanoTime() - started;
            String expected = stream ? "\"type\":\"response.completed\"" : "\"status\":\"completed\"";
            if (response.statusCode() != 200 || !response.body().contains(expected)) {
                throw new IllegalStateException("response turn failed: " + response.statusCode() + " " + response.body());
            }
            return elapsed;
        }
    }
}
