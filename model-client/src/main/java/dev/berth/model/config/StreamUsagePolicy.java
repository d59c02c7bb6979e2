package dev.berth.model.config;

/**
 * Whether a deployment's chat-completions streams ask the provider for usage
 * ({@code stream_options: {"include_usage": true}}, answered by a last chunk with the counts). A stream
 * that ends without usage, asked or not, gets usage counted by the client and marked
 * {@link dev.berth.model.Usage#estimated() estimated}, so no streamed call records zero tokens.
 */
public enum StreamUsagePolicy {
    /**
     * Ask where the route is known to accept it: OpenAI and Azure v1 always; Azure classic from
     * {@code 2024-08-01-preview} among previews and for GA versions after {@code 2024-10-21}. The
     * {@code 2024-10-21} GA specification has no {@code stream_options} (whether the service accepts it there
     * is disputed), so that version, Berth's default, is counted locally.
     */
    AUTO,
    /** Always ask (for an Azure classic version that accepts it although its specification does not say so). */
    ASK,
    /** Never ask; always count locally (for an OpenAI-compatible server that refuses {@code stream_options}). */
    ESTIMATE;

    /** The first Azure classic preview whose specification has {@code stream_options}. */
    static final String FIRST_PREVIEW = "2024-08-01-preview";
    /** The last Azure classic GA version without it. */
    static final String LAST_GA_WITHOUT = "2024-10-21";

    /** Whether a stream to {@code deployment} asks for usage. */
    public boolean asks(Deployment deployment) {
        return switch (this) {
            case ASK -> true;
            case ESTIMATE -> false;
            case AUTO -> deployment.flavour() != Flavour.AZURE_CLASSIC || classicHasStreamOptions(deployment.apiVersion());
        };
    }

    /** Dated versions compare as text: {@code yyyy-mm-dd} or {@code yyyy-mm-dd-preview}. */
    static boolean classicHasStreamOptions(String apiVersion) {
        if (apiVersion == null || !apiVersion.matches("\\d{4}-\\d{2}-\\d{2}(-preview)?")) {
            return false;
        }
        return apiVersion.endsWith("-preview") ? apiVersion.compareTo(FIRST_PREVIEW) >= 0
                : apiVersion.compareTo(LAST_GA_WITHOUT) > 0;
    }
}
