package dev.berth.deploy.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * The model endpoint every logical model name is served by. With no endpoint, Berth runs in
 * demo mode against the offline fake model.
 */
@ConfigMapping(prefix = "berth.model")
public interface ModelConfig {

    /**
     * Base URL: Azure v1 {@code https://{resource}.openai.azure.com/openai/v1}, Azure classic
     * {@code https://{resource}.openai.azure.com}, or an OpenAI-compatible {@code https://host/v1}.
     */
    Optional<String> endpoint();

    /** {@code azure-v1}, {@code azure-classic} or {@code openai}; guessed from the endpoint when unset. */
    Optional<String> flavour();

    /** The key: sent as {@code api-key} to Azure, as a bearer token to OpenAI-compatible endpoints. */
    Optional<String> apiKey();

    /** The deployment (Azure) or model (OpenAI) to call; unset sends the agent's model name unchanged. */
    Optional<String> deployment();

    /** {@code api-version} for the Azure classic route. */
    @WithDefault("2024-10-21")
    String apiVersion();

    /** Latency of the offline fake model in demo mode, to make concurrency visible. */
    @WithDefault("0s")
    Duration demoLatency();
}
