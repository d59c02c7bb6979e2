package dev.berth.model.internal.resilience;

import dev.berth.model.ModelException;
import dev.berth.model.config.Deployment;
import dev.berth.model.config.RetryPolicy;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Retries an operation with capped exponential backoff and jitter, honouring the server's
 * wait hints and a retry budget, and fails over to the next deployment of the same logical
 * model when one is throttled or down. Non-retryable errors (bad request, content filter, auth,
 * context length) surface at once. Streams are retried only until their first item: after that
 * a failure surfaces, since the caller has already seen part of the answer.
 */
public final class AttemptLoop {
    private static final Logger LOG = Logger.getLogger(AttemptLoop.class);

    private final RetryPolicy policy;
    private final Delayer delayer;
    private final RetryBudget budget;

    public AttemptLoop(RetryPolicy policy, Delayer delayer, Ticker ticker) {
        this.policy = policy;
        this.delayer = delayer;
        this.budget = new RetryBudget(policy.budgetRatio(), policy.budgetMinRetries(), ticker);
    }

    /** What to do after a failed attempt. */
    private record Next(Duration delay, int index) {
    }

    public <T> Uni<T> run(List<Deployment> deployments, Function<Attempt, Uni<T>> operation) {
        budget.onCall();
        long start = System.nanoTime();
        return step(deployments, operation, 1, 0, start);
    }

    private <T> Uni<T> step(List<Deployment> deployments, Function<Attempt, Uni<T>> operation, int number,
            int index, long start) {
        Deployment deployment = deployments.get(index % deployments.size());
        return Uni.createFrom().deferred(() -> operation.apply(new Attempt(deployment, number, start)))
                .onFailure().recoverWithUni(failure -> {
                    ModelException error = asModelException(failure);
                    Next next = decide(error, deployments, number, index);
                    if (next == null) {
                        return Uni.createFrom().failure(error);
                    }
                    return delayer.delay(next.delay())
                            .chain(() -> step(deployments, operation, number + 1, next.index(), start));
                });
    }

    /** Like {@link #run} for streams: retried while nothing was emitted. */
    public <T> Multi<T> runStream(List<Deployment> deployments, Function<Attempt, Multi<T>> operation) {
        budget.onCall();
        long start = System.nanoTime();
        return stepStream(deployments, operation, 1, 0, start);
    }

    private <T> Multi<T> stepStream(List<Deployment> deployments, Function<Attempt, Multi<T>> operation, int number,
            int index, long start) {
        Deployment deployment = deployments.get(index % deployments.size());
        return Multi.createFrom().deferred(() -> {
            AtomicBoolean emitted = new AtomicBoolean();
            return operation.apply(new Attempt(deployment, number, start))
                    .onItem().invoke(() -> emitted.set(true))
                    .onFailure().recoverWithMulti(failure -> {
                        ModelException error = asModelException(failure);
                        Next next = emitted.get() ? null : decide(error, deployments, number, index);
                        if (next == null) {
                            return Multi.createFrom().failure(error);
                        }
                        return delayer.delay(next.delay()).onItem().transformToMulti(
                                v -> stepStream(deployments, operation, number + 1, next.index(), start));
                    });
        });
    }

    private Next decide(ModelException error, List<Deployment> deployments, int number, int index) {
        if (!error.retryable() || number > policy.maxRetries()) {
            return null;
        }
        boolean untriedLeft = index + 1 < deployments.size();
        Duration hint = switch (error) {
            case ModelException.Throttled t -> t.retryAfter();
            case ModelException.Unavailable u -> u.retryAfter();
            default -> null;
        };
        if (hint != null && hint.compareTo(policy.maxRetryAfter()) > 0 && !untriedLeft) {
            return null;
        }
        if (!budget.tryRetry()) {
            LOG.debugf("retry budget spent; giving up after attempt %d", number);
            return null;
        }
        // a deployment not yet tried in this call is worth trying at once
        Duration wait = untriedLeft ? Duration.ZERO : backoff(number, hint);
        LOG.debugf("attempt %d on %s failed (%s); retrying in %d ms", number,
                deployments.get(index % deployments.size()).id(), error.getMessage(), wait.toMillis());
        return new Next(wait, deployments.size() > 1 ? index + 1 : index);
    }

    /** The wait before retry {@code number}: the server's hint, else 0.5 s doubling, capped, minus up to 25 % jitter. */
    Duration backoff(int number, Duration hint) {
        if (hint != null) {
            return hint;
        }
        long initial = policy.initialBackoff().toMillis();
        long capped = Math.min(policy.maxBackoff().toMillis(), initial << Math.min(number - 1, 20));
        double jitter = 1 - 0.25 * ThreadLocalRandom.current().nextDouble();
        return Duration.ofMillis((long) (capped * jitter));
    }

    static ModelException asModelException(Throwable failure) {
        if (failure instanceof ModelException e) {
            return e;
        }
        return new ModelException.Unavailable("model call failed: " + failure.getClass().getSimpleName() + ": "
                + failure.getMessage(), 0, failure);
    }
}
