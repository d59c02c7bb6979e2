package dev.berth.model;

/**
 * Token usage of one model call.
 *
 * @param estimated false when the provider reported the counts; true when the client counted them itself
 *                  (jtokkit, see {@link UsageEstimator}) because the provider sent none, as an Azure classic
 *                  {@code api-version} without {@code stream_options} does for a stream
 */
public record Usage(long inputTokens, long outputTokens, long cachedTokens, long reasoningTokens, boolean estimated) {
    public static final Usage ZERO = new Usage(0, 0, 0, 0);

    /** Usage as the provider reported it. */
    public Usage(long inputTokens, long outputTokens, long cachedTokens, long reasoningTokens) {
        this(inputTokens, outputTokens, cachedTokens, reasoningTokens, false);
    }

    public long totalTokens() {
        return inputTokens + outputTokens;
    }

    /** The sum; estimated when either part is. */
    public Usage plus(Usage other) {
        return new Usage(inputTokens + other.inputTokens, outputTokens + other.outputTokens,
                cachedTokens + other.cachedTokens, reasoningTokens + other.reasoningTokens, estimated || other.estimated);
    }
}
