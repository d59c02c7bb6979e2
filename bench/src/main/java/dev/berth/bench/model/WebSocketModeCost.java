package dev.berth.bench.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.model.ChatMessage;
import dev.berth.model.ChatRequest;
import dev.berth.model.ChatResponse;
import dev.berth.model.ModelClient;
import dev.berth.model.ModelClients;
import dev.berth.model.ToolCall;
import dev.berth.model.ToolDefinition;
import dev.berth.model.config.Deployment;
import dev.berth.model.config.ModelClientConfig;
import dev.berth.model.fake.FakeModelServer;
import dev.berth.model.fake.FakeOptions;
import dev.berth.model.fake.FakeReply;
import dev.berth.model.fake.RecordedRequest;
import dev.berth.model.internal.ModelJson;
import io.vertx.mutiny.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the Responses API's WebSocket mode changes for a tool-heavy run (ADR 0042): runs of 25 tool calls
 * (26 model calls, each tool answering about 1 KiB, the conversation growing to ~30 KiB) through the model
 * client against the fake model, over HTTP and over WebSocket, one after the other in alternating rounds.
 * For each overhead setting it prints the median time of a run and the bytes the client sent per run.
 *
 * <p>The fake's overheads are settings, not measurements: {@code http/ws} is the fake's wait per HTTP
 * request and per WebSocket message. With equal overheads the difference is the transport and the client
 * alone (what this machine measures); a lower per-message overhead models the provider's saving from
 * keeping the previous response on the connection (OpenAI reports up to ~40 % end to end for 20+ tool
 * calls; we cannot measure the provider's side here). The bytes sent are measured in every setting.
 *
 * <p>Usage: {@code WebSocketModeCost [runs per round] [http/ws overheads, ms, comma-separated]}
 * (defaults {@code 5} and {@code 0/0,100/100,100/60}).
 */
public final class WebSocketModeCost {
    private static final int TOOL_CALLS = 25;
    private static final int ROUNDS = 3;
    private static final String TOOL_OUTPUT = "x".repeat(1024);

    private WebSocketModeCost() {
    }

    private record Mode(String name, ModelClient client) {
    }

    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        String[] settings = (args.length > 1 ? args[1] : "0/0,100/100,100/60").split(",");
        Vertx vertx = Vertx.vertx();
        try {
            System.out.printf(Locale.ROOT, "%d tool calls a run, %d runs per mode in each of %d alternating rounds%n",
                    TOOL_CALLS, runs, ROUNDS);
            System.out.printf(Locale.ROOT, "| overhead http/ws ms | http run ms (median) | ws run ms (median) | ws vs http "
                    + "| http KiB sent/run | ws KiB sent/run |%n|---|---:|---:|---:|---:|---:|%n");
            for (String setting : settings) {
                String[] ms = setting.split("/");
                measure(vertx, runs, Long.parseLong(ms[0]), Long.parseLong(ms[1]));
            }
        } finally {
            vertx.closeAndAwait();
        }
    }

    private static void measure(Vertx vertx, int runs, long httpMs, long wsMs) {
        // the per-request latency is an option of the server: one server per setting
        try (FakeModelServer fake = FakeModelServer.startAndAwait(vertx,
                FakeOptions.defaults().withLatency(Duration.ofMillis(httpMs)))) {
            fake.socketLatency(Duration.ofMillis(wsMs));
            Deployment http = Deployment.openAi(fake.openAiBaseUrl(), "gpt-bench", null);
            List<Mode> modes = List.of(
                    new Mode("http", ModelClients.create(vertx, ModelClientConfig.single(http))),
                    new Mode("websocket", ModelClients.create(vertx, ModelClientConfig.single(
                            http.withTransport(Deployment.Transport.WEBSOCKET)))));
            // the JIT first (when overheads are low, this is most of what a run costs)
            int warmUp = httpMs + wsMs == 0 ? 20 : 1;
            for (Mode mode : modes) {
                for (int i = 0; i < warmUp; i++) {
                    run(fake, mode, "warm-" + mode.name() + "-" + i);
                }
            }
            List<List<Double>> times = List.of(new ArrayList<>(), new ArrayList<>());
            long[] bytes = new long[2];
            // alternating rounds, so that a shared machine's drift falls on both modes alike
            for (int round = 0; round < ROUNDS; round++) {
                for (int m = 0; m < modes.size(); m++) {
                    for (int i = 0; i < runs; i++) {
                        long[] result = run(fake, modes.get(m), "r" + round + "-" + m + "-" + i);
                        times.get(m).add(result[0] / 1e6);
                        bytes[m] = result[1];
                    }
                }
            }
            double h = median(times.get(0));
            double w = median(times.get(1));
            System.out.printf(Locale.ROOT, "| %d/%d | %.1f | %.1f | %+.1f %% | %.1f | %.1f |%n", httpMs, wsMs, h, w,
                    100 * (w - h) / h, bytes[0] / 1024.0, bytes[1] / 1024.0);
            modes.forEach(m -> m.client().close());
        }
    }

    /** One run of 25 tool calls as the engine makes it; returns its nanoseconds and the request bytes sent. */
    private static long[] run(FakeModelServer fake, Mode mode, String runId) {
        fake.reset();
        for (int i = 1; i <= TOOL_CALLS; i++) {
            fake.enqueue(FakeReply.toolCalls(new ToolCall(runId + "_call_" + i, "lookup", "{\"n\":" + i + "}")));
        }
        fake.enqueue(FakeReply.text("done"));
        ModelClient client = mode.client().forRun(runId);
        List<ChatMessage> messages = new ArrayList<>(List.of(new ChatMessage.System("You look numbers up."),
                new ChatMessage.User("look up 1 to 25")));
        long start = System.nanoTime();
        for (int step = 0; step <= TOOL_CALLS; step++) {
            ChatResponse answer = client.chat(ChatRequest.of("planner", messages, List.of(lookup())))
                    .await().atMost(Duration.ofSeconds(60));
            if (answer.toolCalls().isEmpty()) {
                break;
            }
            messages.add(new ChatMessage.Assistant(answer.content(), answer.toolCalls()));
            answer.toolCalls().forEach(c -> messages.add(new ChatMessage.Tool(c.id(), TOOL_OUTPUT)));
        }
        long elapsed = System.nanoTime() - start;
        mode.client().endRun(runId);
        long sent = fake.recordedRequests().stream().map(RecordedRequest::body)
                .mapToLong(b -> ModelJson.bytes(b).length).sum();
        return new long[] {elapsed, sent};
    }

    private static ToolDefinition lookup() {
        ObjectNode params = ModelJson.object().put("type", "object");
        params.putObject("properties").putObject("n").put("type", "integer");
        return new ToolDefinition("lookup", "Looks a number up", params, false);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
