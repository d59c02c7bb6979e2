package dev.berth.model.config;

/**
 * Client-side limits of one deployment; {@code 0} means unlimited.
 *
 * @param maxConcurrent     calls in flight at once; further calls fail over or wait
 * @param requestsPerMinute the deployment's RPM quota, enforced before sending
 * @param tokensPerMinute   the deployment's TPM quota, estimated from the prompt size
 */
public record DeploymentLimits(int maxConcurrent, int requestsPerMinute, int tokensPerMinute) {
    public static final DeploymentLimits UNLIMITED = new DeploymentLimits(0, 0, 0);

    public DeploymentLimits {
        if (maxConcurrent < 0 || requestsPerMinute < 0 || tokensPerMinute < 0) {
            throw new IllegalArgumentException("limits must be >= 0 (0 = unlimited)");
        }
    }
}
