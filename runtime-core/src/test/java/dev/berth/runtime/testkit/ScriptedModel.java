package dev.berth.runtime.testkit;

import dev.berth.model.ChatRequest;
import dev.berth.model.ChatResponse;
import dev.berth.model.FinishReason;
import dev.berth.model.ModelClient;
import dev.berth.model.ToolCall;
import dev.berth.model.Usage;
import dev.berth.model.config.Deployment;
import dev.berth.model.fake.internal.ChatRequestRules;
import dev.berth.model.fake.internal.Violation;
import dev.berth.model.internal.ChatEncoder;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A strict scripted {@link ModelClient} (the OpenAI Agents SDK's {@code ScriptedModel}): each
 * call takes the next scripted answer, in order; a call with nothing left, or a request the real
 * service would refuse (checked with the strict fake's {@link ChatRequestRules}), fails the call
 * and is kept in {@link #problems()}, which a test asserts empty. Every request is recorded.
 *
 * <p>An answer may be {@link #hold held}: the call then waits until the test {@link Held#release
 * releases} it, so a test can act (cancel, take the lease over, move the clock) while a model call
 * is in flight. Thread safe.
 */
public final class ScriptedModel implements ModelClient {
    private static final Deployment DEPLOYMENT = Deployment.openAi("http://127.0.0.1:1/v1", "gpt-4o", "k");

    private final ConcurrentLinkedQueue<Function<ChatRequest, Uni<ChatResponse>>> script = new ConcurrentLinkedQueue<>();
    private final List<ChatRequest> requests = new CopyOnWriteArrayList<>();
    private final List<String> problems = new CopyOnWriteArrayList<>();

    /** The model answers with text: the run's final answer. */
    public ScriptedModel answer(String text) {
        script.add(request -> Uni.createFrom().item(response(text, List.of())));
        return this;
    }

    /** The model answers with text and this usage (an estimated one, say, as a stream without usage gets). */
    public ScriptedModel answer(String text, Usage usage) {
        script.add(request -> Uni.createFrom().item(new ChatResponse("chatcmpl-scripted", text, List.of(),
                FinishReason.STOP, usage, null)));
        return this;
    }

    /** The model asks for tool calls. */
    public ScriptedModel callTools(ToolCall... calls) {
        List<ToolCall> list = Arrays.asList(calls);
        script.add(request -> Uni.createFrom().item(response(null, list)));
        return this;
    }

    /** The model fails the call (an error the engine maps, like {@code ModelException}). */
    public ScriptedModel fail(RuntimeException error) {
        script.add(request -> Uni.createFrom().failure(error));
        return this;
    }

    /** The next call waits for the test; the returned handle releases it with an answer. */
    public Held hold() {
        Held held = new Held();
        script.add(request -> Uni.createFrom().<ChatResponse>emitter(held::attach));
        return held;
    }

    public static ToolCall call(String id, String name, String arguments) {
        return new ToolCall(id, name, arguments);
    }

    @Override
    public Uni<ChatResponse> chat(ChatRequest request) {
        return Uni.createFrom().deferred(() -> {
            requests.add(request);
            Violation violation = ChatRequestRules.check(ChatEncoder.encode(request, DEPLOYMENT, false));
            if (violation != null) {
                problems.add("refused request: " + violation.message());
                return Uni.createFrom().failure(new IllegalStateException(violation.message()));
            }
            Function<ChatRequest, Uni<ChatResponse>> next = script.poll();
            if (next == null) {
                problems.add("unexpected model call #" + requests.size());
                return Uni.createFrom().failure(new IllegalStateException("no scripted answer left"));
            }
            return next.apply(request);
        });
    }

    public List<ChatRequest> requests() {
        return List.copyOf(requests);
    }

    /** Unexpected calls and refused requests; empty in a passing test. */
    public List<String> problems() {
        List<String> all = new ArrayList<>(problems);
        if (!script.isEmpty()) {
            all.add(script.size() + " scripted answers were never asked for");
        }
        return all;
    }

    static ChatResponse response(String text, List<ToolCall> calls) {
        return new ChatResponse("chatcmpl-scripted", text, calls,
                calls.isEmpty() ? FinishReason.STOP : FinishReason.TOOL_CALLS, new Usage(10, 5, 0, 0), null);
    }

    /** A model call in flight, answered when the test says so. */
    public static final class Held {
        private final CompletableFuture<UniEmitter<? super ChatResponse>> emitter = new CompletableFuture<>();

        private void attach(UniEmitter<? super ChatResponse> e) {
            emitter.complete(e);
        }

        /** Whether the engine made the call (and is now waiting for it). */
        public boolean called() {
            return emitter.isDone();
        }

        /** Answers the held call with text; the engine goes on (on this thread). */
        public void answer(String text) {
            emitter.join().complete(response(text, List.of()));
        }

        public void callTools(ToolCall... calls) {
            emitter.join().complete(response(null, Arrays.asList(calls)));
        }
    }
}
