package dev.berth.model;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * The stateless model API. Nothing is stored at the provider: every call carries its
 * whole context.
 *
 * <p>Threading: methods never block; the returned {@link Uni} completes on a Vert.x
 * event-loop thread. Implementations are thread safe and meant to be shared.
 *
 * <p>Errors: the {@code Uni} fails with a {@link ModelException} subtype that says what
 * the caller can do about it (compact and retry, wait, give up).
 */
public interface ModelClient extends AutoCloseable {

    /** A non-streaming chat-completions call. */
    Uni<ChatResponse> chat(ChatRequest request);

    /**
     * A streaming chat-completions call: deltas, then one {@link ChatStreamEvent.Completed}. A
     * stream that fails before its first delta is retried (and may fail over); one that fails
     * midway fails with {@link ModelException.Unavailable}. Cold: nothing is sent until subscription.
     */
    default Multi<ChatStreamEvent> chatStream(ChatRequest request) {
        return Multi.createFrom().failure(new UnsupportedOperationException("streaming is not supported"));
    }

    /** A stateless, non-streaming Responses API call ({@code store: false}). */
    default Uni<ResponseResult> respond(ResponseRequest request) {
        return Uni.createFrom().failure(new UnsupportedOperationException("the Responses API is not supported"));
    }

    /** A stateless, streaming Responses API call; same retry contract as {@link #chatStream}. */
    default Multi<ResponseStreamEvent> respondStream(ResponseRequest request) {
        return Multi.createFrom().failure(new UnsupportedOperationException("the Responses API is not supported"));
    }

    /** Embeds texts, in batches of at most {@link EmbeddingRequest#MAX_BATCH}. */
    default Uni<EmbeddingResponse> embed(EmbeddingRequest request) {
        return Uni.createFrom().failure(new UnsupportedOperationException("embeddings are not supported"));
    }

    /**
     * This client for the calls of one run (or any sequence of calls that extend one conversation).
     * Deployments with {@code Transport.WEBSOCKET} carry that run's calls over one socket and send
     * only what is new since the socket's previous response; over HTTP it changes nothing. Calls
     * still carry their whole context, so correctness never depends on the socket (ADR 0042).
     * Call {@link #endRun} when the run settles; idle sockets are closed anyway.
     *
     * @param runId a key unique to the run, e.g. its id
     */
    default ModelClient forRun(String runId) {
        return this;
    }

    /** Closes what {@link #forRun} kept open for the run, if anything. Never fails, never blocks. */
    default void endRun(String runId) {
    }

    /**
     * Releases connections. Calls in flight may fail; the {@code Vertx} passed in is not closed.
     * Does nothing by default (test doubles).
     */
    @Override
    default void close() {
    }
}
