package dev.berth.deploy.model;

import dev.berth.deploy.config.ModelConfig;
import dev.berth.model.config.Auth;
import dev.berth.model.config.Deployment;
import dev.berth.model.config.Flavour;
import dev.berth.model.config.ModelClientConfig;
import dev.berth.model.config.RetryPolicy;
import dev.berth.model.config.StreamUsagePolicy;
import dev.berth.model.config.Timeouts;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Turns Berth's model configuration into the model client's, refusing what does not make sense. */
public final class ModelDeployments {
    private ModelDeployments() {
    }

    /** Whether nothing is configured, so Berth runs against the offline fake model. */
    public static boolean demo(ModelConfig config) {
        return config.endpoint().isEmpty() && config.deployments().isEmpty();
    }

    /** The id of the deployment that serves embeddings on {@code berth.model.endpoint}. */
    public static final String EMBEDDINGS_ID = "default-embeddings";

    /** The client configuration without an embedding model to route (see the three-argument form). */
    public static ModelClientConfig clientConfig(ModelConfig config, Map<String, String> env) {
        return clientConfig(config, null, env);
    }

    /**
     * The client configuration; {@code env} supplies workload-identity settings. {@code embeddingModel} (the
     * memory's logical embedding model, null to skip) goes to {@code berth.model.embedding-deployment} on the
     * default endpoint unless a named deployment lists it; it never goes to {@code berth.model.deployment}, the
     * chat deployment: with that set and no embedding deployment, this fails with the keys to set.
     */
    public static ModelClientConfig clientConfig(ModelConfig config, String embeddingModel, Map<String, String> env) {
        Deployment fallback = config.endpoint()
                .map(endpoint -> deployment(new Named("default", endpoint, config.flavour(), config.auth(),
                        config.apiKey(), config.deployment(), config.apiVersion(), config.streamUsage(), 0), env))
                .orElse(null);
        Map<String, List<Deployment>> models = new LinkedHashMap<>();
        config.deployments().forEach((id, named) -> {
            Deployment deployment = deployment(new Named(id, named.endpoint(), named.flavour(), named.auth(),
                    named.apiKey(), named.deployment(), named.apiVersion(), named.streamUsage(), named.priority()), env);
            named.models().forEach(model -> models.computeIfAbsent(model, m -> new ArrayList<>()).add(deployment));
        });
        if (fallback != null && embeddingModel != null && !models.containsKey(embeddingModel)) {
            embeddings(config, fallback, embeddingModel).ifPresent(d -> models.put(embeddingModel, List.of(d)));
        }
        return new ModelClientConfig(models, fallback, Timeouts.DEFAULTS, RetryPolicy.DEFAULTS, 1000);
    }

    /**
     * The default endpoint's deployment for embeddings: {@code berth.model.embedding-deployment}; none when the
     * logical name itself is sent (no {@code berth.model.deployment}); refused when only the chat deployment is set.
     */
    private static Optional<Deployment> embeddings(ModelConfig config, Deployment fallback, String embeddingModel) {
        if (config.embeddingDeployment().isPresent()) {
            return Optional.of(fallback.withDeployment(EMBEDDINGS_ID, config.embeddingDeployment().get()));
        }
        if (fallback.deployment() != null) {
            throw new IllegalArgumentException("berth.model.deployment (" + fallback.deployment() + ") is a chat"
                    + " deployment and would also get the embeddings of '" + embeddingModel + "'"
                    + " (berth.memory.embedding-model), which the provider refuses: set berth.model.embedding-deployment"
                    + " to the deployment of an embedding model, or list '" + embeddingModel
                    + "' in berth.model.deployments.<id>.models");
        }
        return Optional.empty();
    }

    /** {@code azure-v1}, {@code azure-classic} or {@code openai}, given or guessed from the endpoint's host. */
    public static String flavour(String endpoint, Optional<String> configured) {
        if (configured.isPresent()) {
            return configured.get().toLowerCase(Locale.ROOT);
        }
        String host = URI.create(endpoint).getHost();
        boolean azure = host != null && (host.endsWith(".openai.azure.com") || host.endsWith(".services.ai.azure.com")
                || host.endsWith(".azure-api.net") || host.endsWith(".cognitiveservices.azure.com"));
        if (!azure) {
            return "openai";
        }
        return endpoint.contains("/openai/v1") ? "azure-v1" : "azure-classic";
    }

    /** One configured deployment, default or named, as read from the configuration. */
    private record Named(String id, String endpoint, Optional<String> flavourName, Optional<String> authName,
            Optional<String> apiKey, Optional<String> deploymentName, String apiVersion, String streamUsage,
            int priority) {
    }

    private static Deployment deployment(Named n, Map<String, String> env) {
        String id = n.id();
        Flavour flavour = switch (flavour(n.endpoint(), n.flavourName())) {
            case "azure-v1" -> Flavour.AZURE_V1;
            case "azure-classic" -> Flavour.AZURE_CLASSIC;
            case "openai" -> Flavour.OPENAI;
            default -> throw new IllegalArgumentException(
                    "the flavour of model deployment '" + id + "' must be azure-v1, azure-classic or openai");
        };
        Auth auth = auth(id, flavour, n.authName(), n.apiKey(), env);
        return new Deployment(id, URI.create(n.endpoint()), flavour, n.deploymentName().orElse(null),
                flavour == Flavour.AZURE_CLASSIC ? n.apiVersion() : null, auth, n.priority(), null,
                streamUsage(id, n.streamUsage()));
    }

    private static StreamUsagePolicy streamUsage(String id, String configured) {
        return switch (configured.toLowerCase(Locale.ROOT)) {
            case "auto" -> StreamUsagePolicy.AUTO;
            case "ask" -> StreamUsagePolicy.ASK;
            case "estimate" -> StreamUsagePolicy.ESTIMATE;
            default -> throw new IllegalArgumentException(
                    "the stream-usage of model deployment '" + id + "' must be auto, ask or estimate");
        };
    }

    private static Auth auth(String id, Flavour flavour, Optional<String> authName, Optional<String> apiKey,
            Map<String, String> env) {
        String kind = authName.map(a -> a.toLowerCase(Locale.ROOT))
                .orElse(apiKey.isEmpty() ? "none" : flavour == Flavour.OPENAI ? "bearer" : "api-key");
        return switch (kind) {
            case "none" -> new Auth.None();
            case "api-key" -> new Auth.ApiKey(required(apiKey, id));
            case "bearer" -> new Auth.Bearer(required(apiKey, id));
            case "workload-identity" -> Auth.WorkloadIdentity.fromEnvironment(env).orElseThrow(() ->
                    new IllegalArgumentException("model deployment '" + id + "' uses workload identity, but"
                            + " AZURE_TENANT_ID, AZURE_CLIENT_ID or AZURE_FEDERATED_TOKEN_FILE is not set"));
            default -> throw new IllegalArgumentException("the auth of model deployment '" + id
                    + "' must be api-key, bearer, workload-identity or none");
        };
    }

    private static String required(Optional<String> apiKey, String id) {
        return apiKey.orElseThrow(() -> new IllegalArgumentException(
                "model deployment '" + id + "' needs an api-key"));
    }
}
