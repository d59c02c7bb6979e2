package dev.berth.model.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.model.ChatMessage;
import dev.berth.model.ChatRequest;
import dev.berth.model.ChatResponse;
import dev.berth.model.ModelClient;
import dev.berth.model.ModelClients;
import dev.berth.model.config.Deployment;
import dev.berth.model.config.ModelClientConfig;
import dev.berth.model.fake.FakeModelServer;
import dev.berth.model.fake.FakeOptions;
import dev.berth.model.fake.FakeReply;
import dev.berth.model.fake.internal.ChatCompletions;
import dev.berth.model.internal.ChatStreamAssembler;
import dev.berth.model.internal.ModelJson;
import dev.berth.model.internal.sse.SseEvent;
import dev.berth.model.internal.sse.SseParser;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.WebClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Calls per second and the client's added latency over a bare HTTP call to the fake, at 1, 100
 * and 1,000 concurrent calls, and streaming parse throughput. Not a test: run it by hand (see
 * the module README), on a quiet machine, and read the figures as orders of magnitude.
 */
public final class ModelClientBenchmark {
    private static final String BODY_TEXT = "Hello from the benchmark";

    public static void main(String[] args) {
        FakeModelServer.useJBossLogManagerIfPresent();
        int scale = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        Vertx serverVertx = Vertx.vertx();
        Vertx clientVertx = Vertx.vertx();
        FakeModelServer fake = FakeModelServer.startAndAwait(serverVertx, FakeOptions.defaults());
        ModelClient client = ModelClients.create(clientVertx, ModelClientConfig.single(
                Deployment.azureV1(fake.baseUrl(), "gpt-4o", "bench-key")).withMaxConnectionsPerHost(1000));
        WebClient bare = WebClient.create(clientVertx, new WebClientOptions().setProtocolVersion(HttpVersion.HTTP_1_1)
                .setMaxPoolSize(1000).setKeepAlive(true).setMaxWaitQueueSize(-1));
        ChatRequest request = ChatRequest.of("chat", List.of(new ChatMessage.User("hello")), List.of());
        byte[] rawBody = ("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}")
                .getBytes(StandardCharsets.UTF_8);
        String url = fake.baseUrl() + "/chat/completions";
        Supplier<Uni<?>> bareCall = () -> bare.postAbs(url).putHeader("content-type", "application/json")
                .putHeader("api-key", "bench-key").sendBuffer(Buffer.buffer(rawBody)).map(r -> {
                    if (r.statusCode() != 200) {
                        throw new IllegalStateException("HTTP " + r.statusCode());
                    }
                    return r.body();
                });
        Supplier<Uni<?>> clientCall = () -> client.chat(request);

        System.out.printf("JDK %s, %d CPUs%n", Runtime.version(), Runtime.getRuntime().availableProcessors());
        run("warm-up bare", bareCall, 50, 20_000);
        run("warm-up client", clientCall, 50, 20_000);
        System.out.println("concurrency | bare calls/s | client calls/s | bare p50 / p99 ms | client p50 / p99 ms | added p50 ms");
        for (int concurrency : new int[] {1, 100, 1000}) {
            int calls = Math.max(5_000, concurrency * 20) * scale;
            Result b = run(null, bareCall, concurrency, calls);
            Result c = run(null, clientCall, concurrency, calls);
            System.out.printf("%11d | %12.0f | %14.0f | %7.3f / %7.3f | %8.3f / %8.3f | %.3f%n", concurrency,
                    b.perSecond, c.perSecond, b.p50, b.p99, c.p50, c.p99, c.p50 - b.p50);
        }
        streamingOverHttp(fake, client);
        parseThroughput();
        client.close();
        bare.close();
        fake.close();
        clientVertx.closeAndAwait();
        serverVertx.closeAndAwait();
        System.exit(0);
    }

    private record Result(double perSecond, double p50, double p99) {
    }

    /** Runs {@code calls} calls with {@code concurrency} in flight; latencies in ms. */
    private static Result run(String label, Supplier<Uni<?>> call, int concurrency, int calls) {
        long[] latencies = new long[calls];
        AtomicInteger next = new AtomicInteger();
        long start = System.nanoTime();
        Multi.createFrom().range(0, concurrency).onItem().transformToUni(w -> worker(call, next, calls, latencies))
                .merge(concurrency).collect().last().await().atMost(Duration.ofMinutes(5));
        double seconds = (System.nanoTime() - start) / 1e9;
        Arrays.sort(latencies);
        Result r = new Result(calls / seconds, latencies[calls / 2] / 1e6, latencies[(int) (calls * 0.99)] / 1e6);
        if (label != null) {
            System.out.printf("%s: %.0f calls/s%n", label, r.perSecond);
        }
        return r;
    }

    private static Uni<Void> worker(Supplier<Uni<?>> call, AtomicInteger next, int calls, long[] latencies) {
        int i = next.getAndIncrement();
        if (i >= calls) {
            return Uni.createFrom().voidItem();
        }
        long t0 = System.nanoTime();
        return call.get().chain(x -> {
            latencies[i] = System.nanoTime() - t0;
            return worker(call, next, calls, latencies);
        });
    }

    private static void streamingOverHttp(FakeModelServer fake, ModelClient client) {
        String text = String.join(" ", java.util.Collections.nCopies(200, "token"));
        ChatRequest request = ChatRequest.of("chat", List.of(new ChatMessage.User("stream")), List.of());
        int streams = 2_000;
        for (int i = 0; i < streams; i++) {
            fake.enqueue(FakeReply.text(text));
        }
        AtomicInteger events = new AtomicInteger();
        long start = System.nanoTime();
        Multi.createFrom().range(0, streams).onItem().transformToUni(i -> client.chatStream(request)
                .onItem().invoke(e -> events.incrementAndGet()).collect().last()).merge(100)
                .collect().last().await().atMost(Duration.ofMinutes(5));
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("streaming over HTTP (100 concurrent, 200 deltas each): %.0f streams/s, %.0f deltas/s%n",
                streams / seconds, events.get() / seconds);
    }

    /** The SSE parser and chunk assembler alone, on an Azure-shaped stream fed in 1 KiB pieces. */
    private static void parseThroughput() {
        JsonNode request = ModelJson.parse("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"stream_options\":{\"include_usage\":true}}");
        String text = String.join(" ", java.util.Collections.nCopies(1000, "word"));
        byte[] stream = String.join("", ChatCompletions.chunks(request, "gpt-4o", FakeReply.text(text), ChatCompletions.AzureShape.DEFAULT))
                .getBytes(StandardCharsets.UTF_8);
        long bytes = 0;
        long chunks = 0;
        long start = System.nanoTime();
        while (System.nanoTime() - start < 3_000_000_000L) {
            SseParser parser = new SseParser();
            ChatStreamAssembler assembler = new ChatStreamAssembler();
            for (int i = 0; i < stream.length; i += 1024) {
                for (SseEvent e : parser.feed(Arrays.copyOfRange(stream, i, Math.min(stream.length, i + 1024)))) {
                    assembler.accept(e);
                    chunks++;
                }
            }
            assembler.complete(ChatResponse.CallInfo.NONE);
            bytes += stream.length;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("stream parsing (SSE + chunk JSON + assembly, one thread): %.1f MB/s, %.0f chunks/s%n",
                bytes / seconds / 1e6, chunks / seconds);
    }
}
