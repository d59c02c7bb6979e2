package dev.berth.model.internal.resilience;

import dev.berth.model.ModelException;
import dev.berth.model.config.CircuitBreakerPolicy;
import dev.berth.model.config.Deployment;
import io.smallrye.faulttolerance.api.Guard;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.function.Supplier;
import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

/**
 * The per-deployment protections: RPM/TPM budget (checked before sending), then a SmallRye
 * Fault Tolerance guard with a circuit breaker and, when configured, a bulkhead limiting calls in
 * flight. Guards wrap the {@code Uni} that opens a call; they never block. Rejections become
 * retryable {@link ModelException}s so the attempt loop fails over to the next deployment.
 */
public final class DeploymentGuard {
    private final Deployment deployment;
    private final Guard guard;
    private final RateBudget rate;

    public DeploymentGuard(Deployment deployment, CircuitBreakerPolicy policy, Ticker ticker) {
        this.deployment = deployment;
        Guard.Builder builder = Guard.create().withDescription("model deployment " + deployment.id())
                .withCircuitBreaker()
                .requestVolumeThreshold(policy.requestVolume())
                .failureRatio(policy.failureRatio())
                .delay(policy.delay().toMillis(), ChronoUnit.MILLIS)
                .successThreshold(1)
                // throttling is quota, not an outage; client errors say nothing about the deployment's health
                .when(t -> t instanceof ModelException.Unavailable)
                .done();
        int limit = deployment.limits().maxConcurrent();
        if (limit > 0) {
            // waiting callers queue (asynchronously) rather than being rejected at once
            builder.withBulkhead().limit(limit).queueSize(Math.max(16, limit * 10)).done();
        }
        this.guard = builder.build();
        int rpm = deployment.limits().requestsPerMinute();
        int tpm = deployment.limits().tokensPerMinute();
        this.rate = rpm == 0 && tpm == 0 ? null : new RateBudget(rpm, tpm, ticker);
    }

    /** Runs {@code call} under the deployment's protections. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public <T> Uni<T> call(long estimatedTokens, Supplier<Uni<T>> call) {
        if (rate != null) {
            Duration wait = rate.tryAcquire(estimatedTokens);
            if (wait != null) {
                return Uni.createFrom().failure(new ModelException.Throttled(
                        "client-side rate budget of deployment " + deployment.id() + " is spent", wait));
            }
        }
        Uni<T> guarded = (Uni<T>) guard.get((Supplier) call, Uni.class);
        return guarded.onFailure(CircuitBreakerOpenException.class).transform(e -> new ModelException.Unavailable(
                "circuit breaker of deployment " + deployment.id() + " is open", 0, e))
                .onFailure(BulkheadException.class).transform(e -> new ModelException.Throttled(
                        "too many calls in flight on deployment " + deployment.id(), null));
    }

    /**
     * Tells the TPM budget how many tokens a call really used. Only overruns are charged: Azure
     * counts a request's TPM by the same up-front estimate (prompt plus output allowance) and
     * does not refund unused output, so neither do we.
     */
    public void recordUsage(long estimatedTokens, long actualTokens) {
        if (rate != null && actualTokens > estimatedTokens) {
            rate.adjustTokens(actualTokens - estimatedTokens);
        }
    }
}
