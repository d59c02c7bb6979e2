package dev.berth.model;

/** Token usage of one model call, as reported by the provider. */
public record Usage(long inputTokens, long outputTokens, long cachedTokens, long reasoningTokens) {
    public static final Usage ZERO = new Usage(0, 0, 0, 0);

    public long totalTokens() {
        return inputTokens + outputTokens;
    }

    public Usage plus(Usage other) {
        return new Usage(inputTokens + other.inputTokens, outputTokens + other.outputTokens,
                cachedTokens + other.cachedTokens, reasoningTokens + other.reasoningTokens);
    }
}
