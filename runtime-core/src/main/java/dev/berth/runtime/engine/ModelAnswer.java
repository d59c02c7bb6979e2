package dev.berth.runtime.engine;

import dev.berth.model.ChatRequest;
import dev.berth.model.ChatResponse;
import dev.berth.model.ChatStreamEvent;
import dev.berth.model.ModelClient;
import dev.berth.runtime.observe.ModelCallObservation;
import dev.berth.runtime.run.ClaimedRun;
import io.smallrye.mutiny.Uni;
import java.util.concurrent.CancellationException;

/**
 * One model call of a run's step: streamed when deltas are on, so that clients on any process
 * see the answer while it is generated (see {@link DeltaPublisher}); either way only the
 * complete answer comes out, and the observer sees the call from subscription to answer,
 * failure or cancellation.
 */
final class ModelAnswer {
    private ModelAnswer() {
    }

    /** @param step the run's model call this is (1 for its first), as the previews name it */
    static Uni<ChatResponse> of(EngineParts parts, ClaimedRun claimed, int step, ChatRequest request) {
        return Uni.createFrom().deferred(() -> {
            ModelCallObservation observation = parts.observer().modelCallStarted(claimed, request);
            return call(parts, claimed, step, request)
                    .invoke(observation::succeeded)
                    .onFailure().invoke(observation::failed)
                    .onCancellation().invoke(() -> observation.failed(new CancellationException()));
        });
    }

    private static Uni<ChatResponse> call(EngineParts parts, ClaimedRun claimed, int step, ChatRequest request) {
        // the run's calls share what the client keeps per run (a WebSocket-mode socket; ADR 0042)
        ModelClient model = parts.model().forRun(claimed.run().id().toString());
        if (!parts.config().streamDeltas()) {
            return model.chat(request);
        }
        DeltaPublisher deltas = new DeltaPublisher(parts.feed(), claimed.run(), step, parts.config().deltaInterval(),
                parts.clock());
        return model.chatStream(request)
                .invoke(event -> {
                    if (event instanceof ChatStreamEvent.TextDelta delta) {
                        deltas.accept(delta.text());
                    }
                })
                .filter(ChatStreamEvent.Completed.class::isInstance)
                .map(event -> ((ChatStreamEvent.Completed) event).response())
                .toUni()
                // A stream that ends without its answer is a failed step, made again; null would mean "stopped".
                .onItem().ifNull().failWith(() -> new IllegalStateException("the model's stream ended without an answer"));
    }
}
