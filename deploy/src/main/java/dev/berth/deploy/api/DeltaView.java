package dev.berth.deploy.api;

/**
 * A piece of an answer still being generated (SSE event {@code assistant.delta}, no id): a
 * preview only; the committed {@code assistant.message} of the same run and step is the truth.
 * {@code offset} is where {@code text} starts in the answer; 0 again means the model call was
 * made again, so a client starts that answer over.
 */
public record DeltaView(String runId, int step, int offset, String text) {
}
