package dev.berth.model.config;

/**
 * The route shape of a deployment's endpoint. Only the path and where the deployment name
 * travels differ; the JSON protocol is the same.
 */
public enum Flavour {
    /** Azure OpenAI v1: {@code {base}/chat/completions}, base ends in {@code /openai/v1}; deployment sent as {@code model}. */
    AZURE_V1,
    /** Azure OpenAI classic: {@code {endpoint}/openai/deployments/{deployment}/chat/completions?api-version=...}. */
    AZURE_CLASSIC,
    /** OpenAI or any compatible server: {@code {base}/chat/completions}, base usually ends in {@code /v1}. */
    OPENAI;

    /** Whether the provider is Azure (which adds content-filter annotations and the {@code api-key} header). */
    public boolean isAzure() {
        return this != OPENAI;
    }
}
