package dev.berth.runtime.run;

import dev.berth.runtime.domain.RequestKey;
import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.error.NotFoundException;
import dev.berth.runtime.error.ValidationException;
import dev.berth.runtime.input.InputLimits;
import dev.berth.runtime.port.ChangeFeed;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Accepts input for sessions, and lets clients read, wait for and cancel runs from any process. */
@ApplicationScoped
public class RunService {
    public static final int MAX_INPUT_CHARS = InputLimits.MAX_TEXT_CHARS;
    public static final Duration MAX_WAIT = Duration.ofSeconds(InputLimits.MAX_WAIT_SECONDS);
    /**
     * How often a waiter reads its run without being told to. The feed wakes waiters after a
     * reconnection, so this only bounds losses nobody knows of; with thousands of waiting
     * requests a short bound was thousands of reads a second (bench scenario 3, 5,000 sessions).
     */
    private static final Duration POLL_BOUND = Duration.ofSeconds(10);

    /** W3C trace context, version 00: version-traceid-parentid-flags, ids not all zero. */
    private static final java.util.regex.Pattern TRACEPARENT = java.util.regex.Pattern.compile(
            "00-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}");

    private final RunStore runs;
    private final ChangeFeed feed;

    @Inject
    public RunService(RunStore runs, ChangeFeed feed) {
        this.runs = runs;
        this.feed = feed;
    }

    /** Appends the input and queues a run, durably, before returning. */
    public Uni<Run> submit(TenantId tenant, UUID sessionId, String text) {
        return submit(tenant, sessionId, text, null);
    }

    /**
     * Like {@link #submit(TenantId, UUID, String)}, storing the W3C {@code traceparent} of the
     * request with the input so the run's trace continues it; an invalid value is ignored.
     */
    public Uni<Run> submit(TenantId tenant, UUID sessionId, String text, String traceparent) {
        return submit(tenant, sessionId, text, traceparent, Optional.empty());
    }

    /**
     * Like {@link #submit(TenantId, UUID, String, String)}, claiming the client's idempotency key in
     * the submission's transaction: fails with {@link dev.berth.runtime.error.KeyTakenException} when
     * the key was used before (ADR 0024).
     */
    public Uni<Run> submit(TenantId tenant, UUID sessionId, String text, String traceparent, Optional<RequestKey> key) {
        return submit(tenant, sessionId, text, traceparent, key, RunOptions.NONE);
    }

    /**
     * Like {@link #submit(TenantId, UUID, String, String, Optional)}, for a run with options of its own
     * (ADR 0036), stored with the run by the same statement; they are checked here
     * ({@link RunOptions#validated}) before anything is written.
     */
    public Uni<Run> submit(TenantId tenant, UUID sessionId, String text, String traceparent, Optional<RequestKey> key,
            RunOptions options) {
        options.validated(Map.of());
        if (text == null || text.isBlank()) {
            throw ValidationException.field("text", "must not be blank");
        }
        if (text.length() > MAX_INPUT_CHARS) {
            throw ValidationException.field("text", "must be at most " + MAX_INPUT_CHARS + " characters");
        }
        return runs.submit(new Submission(tenant, sessionId, UUID.randomUUID(), Submission.userMessage(text,
                TRACEPARENT.matcher(traceparent == null ? "" : traceparent).matches() ? traceparent : null), key,
                options));
    }

    public Uni<Run> get(TenantId tenant, UUID runId) {
        return runs.find(tenant, runId).map(found -> found.orElseThrow(() -> new NotFoundException("run", runId)));
    }

    /** The run once it is settled (finished or waiting for action), or as it is when the wait is over. */
    public Uni<Run> await(TenantId tenant, UUID runId, Duration wait) {
        Duration bounded = wait.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : wait;
        return awaitUntil(tenant, runId, Instant.now().plus(bounded));
    }

    /** As {@link #await(TenantId, UUID, Duration)}, for a run as just read or submitted: no need to read it again first. */
    public Uni<Run> await(TenantId tenant, Run run, Duration wait) {
        Duration bounded = wait.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : wait;
        return awaitFrom(tenant, run, Instant.now().plus(bounded));
    }

    private Uni<Run> awaitUntil(TenantId tenant, UUID runId, Instant deadline) {
        return get(tenant, runId).chain(run -> awaitFrom(tenant, run, deadline));
    }

    private Uni<Run> awaitFrom(TenantId tenant, Run run, Instant deadline) {
        Duration left = Duration.between(Instant.now(), deadline);
        if (run.status().settled() || left.isNegative() || left.isZero()) {
            return Uni.createFrom().item(run);
        }
        Duration slice = left.compareTo(POLL_BOUND) < 0 ? left : POLL_BOUND;
        return feed.awaitRunChange(run.id(), slice).chain(() -> awaitUntil(tenant, run.id(), deadline));
    }

    public Uni<Run> cancel(TenantId tenant, UUID runId) {
        return runs.requestCancel(tenant, runId)
                .map(found -> found.orElseThrow(() -> new NotFoundException("run", runId)));
    }
}
