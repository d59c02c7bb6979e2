package dev.berth.model.internal;

import dev.berth.model.ChatRequest;
import dev.berth.model.ChatResponse;
import dev.berth.model.ChatStreamEvent;
import dev.berth.model.EmbeddingRequest;
import dev.berth.model.EmbeddingResponse;
import dev.berth.model.ModelClient;
import dev.berth.model.ModelException;
import dev.berth.model.ResponseRequest;
import dev.berth.model.ResponseResult;
import dev.berth.model.ResponseStreamEvent;
import dev.berth.model.Usage;
import dev.berth.model.UsageEstimator;
import dev.berth.model.config.Deployment;
import dev.berth.model.config.ModelClientConfig;
import dev.berth.model.internal.resilience.Attempt;
import dev.berth.model.internal.resilience.AttemptLoop;
import dev.berth.model.internal.resilience.DeploymentGuard;
import dev.berth.model.internal.sse.SseEvent;
import dev.berth.model.internal.sse.SseParser;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Function;

/** {@link ModelClient} over the Vert.x HTTP client. Thread safe; never blocks. */
public final class HttpModelClient implements ModelClient {
    private final io.vertx.core.Vertx vertx;
    private final ModelClientConfig config;
    private final ClientEnvironment env;
    private final HttpTransport transport;
    private final AttemptLoop loop;
    private final Map<String, DeploymentGuard> guards = new ConcurrentHashMap<>();

    public HttpModelClient(Vertx vertx, ModelClientConfig config, ClientEnvironment env) {
        this.vertx = vertx.getDelegate();
        this.config = config;
        this.env = env;
        this.transport = new HttpTransport(vertx, config, env.ticker());
        this.loop = new AttemptLoop(config.retry(), env.delayer(), env.ticker());
    }

    @Override
    public Uni<ChatResponse> chat(ChatRequest request) {
        return call(request.model(), (a) -> Buffer.buffer(ModelJson.bytes(ChatEncoder.encode(request, a.deployment(), false))),
                request.maxCompletionTokens(), (a, body) -> transport.postJson(a.deployment(), "chat/completions", body)
                        .map(json -> ChatDecoder.decode(json, info(a))), r -> r.usage());
    }

    @Override
    public Multi<ChatStreamEvent> chatStream(ChatRequest request) {
        return stream(request.model(), a -> Buffer.buffer(ModelJson.bytes(ChatEncoder.encode(request, a.deployment(), true))),
                request.maxCompletionTokens(), "chat/completions", a -> {
                    ChatStreamAssembler assembler = new ChatStreamAssembler();
                    return new StreamSteps<>(e -> assembler.accept(e),
                            () -> withUsage(request, assembler.complete(info(a)), assembler.sawUsage()));
                });
    }

    @Override
    public Uni<ResponseResult> respond(ResponseRequest request) {
        return call(request.model(), a -> Buffer.buffer(ModelJson.bytes(ResponsesCodec.encode(request, a.deployment(), false))),
                request.maxOutputTokens(), (a, body) -> transport.postJson(a.deployment(), "responses", body)
                        .map(json -> ResponsesCodec.decode(json, info(a))), ResponseResult::usage);
    }

    @Override
    public Multi<ResponseStreamEvent> respondStream(ResponseRequest request) {
        return stream(request.model(), a -> Buffer.buffer(ModelJson.bytes(ResponsesCodec.encode(request, a.deployment(), true))),
                request.maxOutputTokens(), "responses", a -> {
                    ResponsesStreamAssembler assembler = new ResponsesStreamAssembler();
                    return new StreamSteps<>(e -> assembler.accept(e, info(a)),
                            () -> Uni.createFrom().<ResponseStreamEvent>item(assembler.complete(info(a))));
                });
    }

    @Override
    public Uni<EmbeddingResponse> embed(EmbeddingRequest request) {
        List<List<String>> batches = new ArrayList<>();
        for (int i = 0; i < request.inputs().size(); i += EmbeddingRequest.MAX_BATCH) {
            batches.add(request.inputs().subList(i, Math.min(request.inputs().size(), i + EmbeddingRequest.MAX_BATCH)));
        }
        long start = System.nanoTime();
        return Multi.createFrom().iterable(batches)
                .onItem().transformToUniAndConcatenate(batch -> embedBatch(request, batch))
                .collect().asList().map(parts -> {
                    List<float[]> vectors = new ArrayList<>(request.inputs().size());
                    Usage usage = Usage.ZERO;
                    int attempts = 0;
                    String deployment = null;
                    for (EmbeddingResponse part : parts) {
                        vectors.addAll(part.vectors());
                        usage = usage.plus(part.usage());
                        attempts += part.call().attempts();
                        deployment = part.call().deployment();
                    }
                    return new EmbeddingResponse(vectors, usage, new ChatResponse.CallInfo(deployment, attempts,
                            Duration.ofNanos(System.nanoTime() - start)));
                });
    }

    private Uni<EmbeddingResponse> embedBatch(EmbeddingRequest request, List<String> batch) {
        return call(request.model(), a -> Buffer.buffer(ModelJson.bytes(EmbeddingsCodec.encode(request.model(), batch,
                request.dimensions(), a.deployment()))), 0, (a, body) -> transport.postJson(a.deployment(),
                        "embeddings", body).map(json -> new EmbeddingResponse(
                                List.of(EmbeddingsCodec.vectors(json, batch.size(), request.dimensions(), a.deployment().id())),
                                new Usage(ModelJson.num(json.get("usage"), "prompt_tokens"), 0, 0, 0), info(a))),
                EmbeddingResponse::usage);
    }

    /**
     * The answer of a stream, with usage counted locally (and marked estimated) when the provider sent none:
     * usage was not asked for (see {@code StreamUsagePolicy}) or the server ignored the request.
     */
    private Uni<ChatStreamEvent> withUsage(ChatRequest request, ChatStreamEvent.Completed done, boolean reported) {
        if (reported) {
            return Uni.createFrom().item(done);
        }
        ChatResponse r = done.response();
        // BPE counting is CPU work (about 0.6 ms per 1,000 characters on a busy machine): off the event loop;
        // called on the stream's event loop, executeBlocking completes back on it
        return Uni.createFrom().completionStage(() -> vertx.executeBlocking(() -> UsageEstimator.chat(request, r), false)
                .toCompletionStage()).map(usage -> new ChatStreamEvent.Completed(new ChatResponse(r.id(), r.content(),
                        r.toolCalls(), r.finishReason(), usage, r.call())));
    }

    /** Per-stream parsing steps: SSE event to items, and the final item. */
    private record StreamSteps<E>(Function<SseEvent, List<? extends E>> onEvent,
            java.util.function.Supplier<Uni<E>> onEnd) {
    }

    private <T> Uni<T> call(String model, Function<Attempt, Buffer> encode, Integer maxOutput,
            BiFunction<Attempt, Buffer, Uni<T>> send, Function<T, Usage> usageOf) {
        return onEventLoop(Uni.createFrom().deferred(() -> loop.run(deployments(model), a -> {
            Buffer body = encode.apply(a);
            long estimate = estimateTokens(body, maxOutput);
            DeploymentGuard guard = guard(a.deployment());
            return guard.call(estimate, () -> send.apply(a, body))
                    .invoke(r -> guard.recordUsage(estimate, usageOf.apply(r).totalTokens()));
        })));
    }

    private <E> Multi<E> stream(String model, Function<Attempt, Buffer> encode, Integer maxOutput, String operation,
            Function<Attempt, StreamSteps<E>> steps) {
        Multi<E> multi = Multi.createFrom().deferred(() -> loop.runStream(deployments(model), a -> {
            Buffer body = encode.apply(a);
            long estimate = estimateTokens(body, maxOutput);
            Deployment d = a.deployment();
            // the guard covers opening the stream; the body is read outside it (guards do not apply to Multi)
            return guard(d).call(estimate, () -> transport.openStream(d, operation, body)).onItem().transformToMulti(resp -> {
                SseParser parser = new SseParser();
                StreamSteps<E> s = steps.apply(a);
                Multi<E> items = transport.body(d, resp).onItem().transformToIterable(buf -> {
                    List<E> out = new ArrayList<>();
                    for (SseEvent e : parser.feed(buf.getBytes())) {
                        out.addAll(s.onEvent().apply(e));
                    }
                    return out;
                });
                Multi<E> end = Multi.createFrom().deferred(() -> {
                    SseEvent last = parser.finish();
                    List<E> out = new ArrayList<>(last == null ? List.of() : s.onEvent().apply(last));
                    Uni<E> done = s.onEnd().get();
                    return Multi.createBy().concatenating().streams(Multi.createFrom().iterable(out), done.toMulti());
                });
                return Multi.createBy().concatenating().streams(items, end);
            });
        }));
        return multi.runSubscriptionOn(this::runOnEventLoop);
    }

    /**
     * Starts the call on a Vert.x event loop when the caller is elsewhere (a worker, a virtual
     * thread, a test): every callback then runs on that loop, even when an answer is already
     * complete by the time a handler is registered, so results always arrive on an event loop.
     */
    private <T> Uni<T> onEventLoop(Uni<T> uni) {
        return uni.runSubscriptionOn(this::runOnEventLoop);
    }

    private void runOnEventLoop(Runnable task) {
        if (io.vertx.core.Context.isOnEventLoopThread()) {
            task.run();
        } else {
            vertx.getOrCreateContext().runOnContext(v -> task.run());
        }
    }

    /** The deployments of a logical model; fails the call with a bad request when none is configured. */
    private List<Deployment> deployments(String model) {
        List<Deployment> ds = config.deploymentsFor(model);
        if (ds.isEmpty()) {
            throw new ModelException.BadRequest("no deployment is configured for model '" + model + "'", 0);
        }
        return ds;
    }

    private DeploymentGuard guard(Deployment d) {
        return guards.computeIfAbsent(d.id() + "|" + d.baseUrl(),
                k -> new DeploymentGuard(d, config.circuitBreaker(), env.ticker()));
    }

    /** Roughly what the provider counts against TPM: prompt size plus the output allowance. */
    private static long estimateTokens(Buffer body, Integer maxOutput) {
        return body.length() / 4 + (maxOutput == null ? 0 : maxOutput);
    }

    private static ChatResponse.CallInfo info(Attempt a) {
        return new ChatResponse.CallInfo(a.deployment().id(), a.number(),
                Duration.ofNanos(System.nanoTime() - a.startNanos()));
    }

    @Override
    public void close() {
        transport.close();
    }
}
