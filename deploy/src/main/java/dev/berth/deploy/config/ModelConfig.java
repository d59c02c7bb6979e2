package dev.berth.deploy.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where model calls go. {@code berth.model.endpoint} is the default deployment, serving
 * every logical model name; {@code berth.model.deployments.<id>.*} add named deployments for
 * some logical names, tried in priority order with failover. With neither, Berth runs in
 * demo mode against the offline fake model.
 */
@ConfigMapping(prefix = "berth.model")
public interface ModelConfig {

    /**
     * Base URL of the default deployment: Azure v1 {@code https://{resource}.openai.azure.com/openai/v1},
     * Azure classic {@code https://{resource}.openai.azure.com}, or an OpenAI-compatible {@code https://host/v1}.
     */
    Optional<String> endpoint();

    /** {@code azure-v1}, {@code azure-classic} or {@code openai}; guessed from the endpoint when unset. */
    Optional<String> flavour();

    /** The key: sent as {@code api-key} to Azure, as a bearer token to OpenAI-compatible endpoints. */
    Optional<String> apiKey();

    /**
     * {@code api-key}, {@code bearer}, {@code workload-identity} (Entra ID through the Kubernetes
     * federated token file: {@code AZURE_TENANT_ID}, {@code AZURE_CLIENT_ID},
     * {@code AZURE_FEDERATED_TOKEN_FILE}) or {@code none}; by default the flavour's key header
     * when a key is set, else none.
     */
    Optional<String> auth();

    /** The deployment (Azure) or model (OpenAI) to call; unset sends the agent's model name unchanged. */
    Optional<String> deployment();

    /** {@code api-version} for the Azure classic route. */
    @WithDefault("2024-10-21")
    String apiVersion();

    /**
     * The deployment (Azure) or model (OpenAI) that serves embeddings (the memory's
     * {@code berth.memory.embedding-model}) on this endpoint. {@code berth.model.deployment} names a chat
     * deployment and is never applied to embeddings: when it is set and neither this key nor a named
     * deployment serves the embedding model, Berth refuses to start rather than send embeddings to the chat
     * deployment, which Azure and OpenAI refuse.
     */
    Optional<String> embeddingDeployment();

    /**
     * Whether chat streams ask the provider for usage ({@code stream_options.include_usage}): {@code auto}
     * (where the route accepts it: OpenAI, Azure v1, Azure classic from 2024-08-01-preview and after the
     * 2024-10-21 GA), {@code ask} or {@code estimate}. A stream without usage is counted locally and its
     * usage marked estimated.
     */
    @WithDefault("auto")
    String streamUsage();

    /** Named deployments for some logical model names, with failover between them. */
    Map<String, DeploymentConfig> deployments();

    /** Latency of the offline fake model in demo mode, to make concurrency visible. */
    @WithDefault("0s")
    Duration demoLatency();

    /**
     * How many model requests the offline fake model of demo mode keeps (the newest; older ones
     * are dropped), so that a demo left running holds bounded memory.
     */
    @WithDefault("1000")
    int demoRecordLimit();

    /** One named deployment. */
    interface DeploymentConfig {
        /** Base URL, as for {@code berth.model.endpoint}. */
        String endpoint();

        Optional<String> flavour();

        Optional<String> apiKey();

        Optional<String> auth();

        Optional<String> deployment();

        @WithDefault("2024-10-21")
        String apiVersion();

        /** As {@code berth.model.stream-usage}, for this deployment. */
        @WithDefault("auto")
        String streamUsage();

        /** Lower is tried first; equal priorities keep their order. */
        @WithDefault("0")
        int priority();

        /** The logical model names (an agent's {@code model}) this deployment serves. */
        List<String> models();
    }
}
