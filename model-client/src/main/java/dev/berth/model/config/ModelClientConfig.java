package dev.berth.model.config;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a {@code ModelClient} needs. Immutable; validated on construction.
 *
 * <pre>{@code
 * // one endpoint for every logical model name (the model name is sent unchanged):
 * ModelClientConfig config = ModelClientConfig.single(Deployment.openAi("http://127.0.0.1:8089/v1", null, null));
 * // or explicit mappings with failover:
 * ModelClientConfig config = ModelClientConfig.single(defaultDeployment)
 *         .withModel("planner", Deployment.azureV1(swedenUrl, "gpt-4o", key1),
 *                 Deployment.azureV1(franceUrl, "gpt-4o", key2).withPriority(1));
 * }</pre>
 *
 * @param models                logical model name -> deployments, tried by priority then order
 * @param defaultDeployment     used for a logical name without mapping; null makes unknown names an error
 * @param timeouts              per-attempt timeouts
 * @param retry                 retry policy
 * @param maxConnectionsPerHost HTTP/1.1 connection pool size per host (the runtime makes thousands of
 *                              concurrent calls; a small pool would queue them)
 * @param circuitBreaker        when a deployment counts as down (null for defaults)
 */
public record ModelClientConfig(Map<String, List<Deployment>> models, Deployment defaultDeployment,
        Timeouts timeouts, RetryPolicy retry, int maxConnectionsPerHost, CircuitBreakerPolicy circuitBreaker) {

    /** Without a circuit-breaker policy: defaults apply. */
    public ModelClientConfig(Map<String, List<Deployment>> models, Deployment defaultDeployment, Timeouts timeouts,
            RetryPolicy retry, int maxConnectionsPerHost) {
        this(models, defaultDeployment, timeouts, retry, maxConnectionsPerHost, null);
    }

    public ModelClientConfig {
        Objects.requireNonNull(models, "models");
        Map<String, List<Deployment>> copy = new LinkedHashMap<>();
        models.forEach((name, deployments) -> {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("logical model names must not be blank");
            }
            if (deployments == null || deployments.isEmpty()) {
                throw new IllegalArgumentException("model " + name + " needs at least one deployment");
            }
            copy.put(name, deployments.stream().sorted(Comparator.comparingInt(Deployment::priority)).toList());
        });
        models = Map.copyOf(copy);
        timeouts = timeouts == null ? Timeouts.DEFAULTS : timeouts;
        retry = retry == null ? RetryPolicy.DEFAULTS : retry;
        circuitBreaker = circuitBreaker == null ? CircuitBreakerPolicy.DEFAULTS : circuitBreaker;
        if (maxConnectionsPerHost <= 0) {
            throw new IllegalArgumentException("maxConnectionsPerHost must be > 0");
        }
        if (models.isEmpty() && defaultDeployment == null) {
            throw new IllegalArgumentException("configure at least one model or a default deployment");
        }
    }

    /** One deployment serving every logical model name, default timeouts and retries. */
    public static ModelClientConfig single(Deployment deployment) {
        Objects.requireNonNull(deployment, "deployment");
        return new ModelClientConfig(Map.of(), deployment, Timeouts.DEFAULTS, RetryPolicy.DEFAULTS, 1000, null);
    }

    /** A copy where {@code logicalModel} maps to {@code deployments} (tried by priority, then in this order). */
    public ModelClientConfig withModel(String logicalModel, Deployment... deployments) {
        Map<String, List<Deployment>> next = new LinkedHashMap<>(models);
        next.put(logicalModel, List.of(deployments));
        return new ModelClientConfig(next, defaultDeployment, timeouts, retry, maxConnectionsPerHost, circuitBreaker);
    }

    public ModelClientConfig withTimeouts(Timeouts newTimeouts) {
        return new ModelClientConfig(models, defaultDeployment, newTimeouts, retry, maxConnectionsPerHost, circuitBreaker);
    }

    public ModelClientConfig withRetry(RetryPolicy newRetry) {
        return new ModelClientConfig(models, defaultDeployment, timeouts, newRetry, maxConnectionsPerHost, circuitBreaker);
    }

    public ModelClientConfig withMaxConnectionsPerHost(int n) {
        return new ModelClientConfig(models, defaultDeployment, timeouts, retry, n, circuitBreaker);
    }

    public ModelClientConfig withCircuitBreaker(CircuitBreakerPolicy policy) {
        return new ModelClientConfig(models, defaultDeployment, timeouts, retry, maxConnectionsPerHost, policy);
    }

    /** The deployments for a logical name, in the order they are tried; empty if none. */
    public List<Deployment> deploymentsFor(String logicalModel) {
        List<Deployment> mapped = models.get(logicalModel);
        if (mapped != null) {
            return mapped;
        }
        return Optional.ofNullable(defaultDeployment).map(List::of).orElse(List.of());
    }
}
